// ESLint for the project's own JavaScript (`make lint-js`); run from the repository root
// with `--config tools/lint/eslint.config.mjs`, so paths below are relative to the root.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // Copied from npm (vendor), installed packages, build output, and the host site kept
    // as `wagtail start` generated it (tests/host_site).
    ignores: [
      "**/node_modules/**",
      "**/vendor/**",
      "build/**",
      "static_collected/**",
      "media/**",
      "tests/host_site/**",
    ],
  },
  js.configs.recommended,
  {
    // An `eslint-disable` comment that no longer hides anything fails the lint.
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    // The plugin's and the site's browser scripts: classic scripts (no modules), loaded
    // with `defer` after Leaflet and topojson-client, which they read from `window`.
    files: ["**/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly", topojson: "readonly" },
    },
  },
  {
    // Build scripts run by Node.
    files: ["**/*.mjs"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.node,
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: globals.node },
  },
];
