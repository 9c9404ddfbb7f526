// Copies the front-end files of the npm packages (listed in scripts/vendor-assets.json) into the
// plugin's static files, where Django's staticfiles serves them from the site itself: no page
// asks a CDN or a tile server. setup.py copies the same list into the wheel.
import { cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "sixdegree_cases", "static", "sixdegree_cases", "vendor");
const { copies } = JSON.parse(readFileSync(join(root, "scripts", "vendor-assets.json"), "utf8"));

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of copies) {
  mkdirSync(dirname(join(vendor, to)), { recursive: true });
  cpSync(join(modules, from), join(vendor, to), { recursive: true });
}
console.log(`Copied ${copies.length} assets into ${vendor}`);
