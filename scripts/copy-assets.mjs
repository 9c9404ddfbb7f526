// Copies the front-end packages installed by npm into static/vendor/, where Django's
// staticfiles serves them from the site itself: no page asks a CDN or a tile server.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "static", "vendor");

const copies = [
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images", "leaflet/images"],
  ["leaflet/LICENSE", "leaflet/LICENSE"],
  ["topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client/LICENSE", "topojson-client/LICENSE"],
  // Natural Earth country shapes: the basemap drawn when no tile server is configured.
  ["world-atlas/countries-110m.json", "world-atlas/countries-110m.json"],
  ["world-atlas/LICENSE", "world-atlas/LICENSE"],
];

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of copies) {
  mkdirSync(dirname(join(vendor, to)), { recursive: true });
  cpSync(join(modules, from), join(vendor, to), { recursive: true });
}
console.log(`Copied ${copies.length} assets into ${vendor}`);
