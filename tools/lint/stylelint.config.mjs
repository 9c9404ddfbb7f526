// Stylelint for the project's own CSS (`make lint-css`); run from the repository root with
// `--config tools/lint/stylelint.config.mjs` on the files git knows (never vendor/ or node_modules).
export default {
  extends: ["stylelint-config-standard"],
  // A `stylelint-disable` comment says why (`-- reason`) and must still be needed.
  reportDescriptionlessDisables: true,
  reportNeedlessDisables: true,
  rules: {
    // The templates name classes BEM-style: block, block__element, block--modifier.
    "selector-class-pattern": [
      "^[a-z][a-z0-9]*(-[a-z0-9]+)*(__[a-z0-9]+(-[a-z0-9]+)*)?(--[a-z0-9]+(-[a-z0-9]+)*)?$",
      { message: (selector) => `Expected class selector "${selector}" to be kebab-case or BEM` },
    ],
    // `max-width: 48rem`, not `width <= 48rem`: range syntax needs Safari 16.4, older phones
    // would ignore the query (and e.g. lose the Donate bar's phone layout).
    "media-feature-range-notation": "prefix",
    // Font family names keep their capitals (the site's font stack is a custom property).
    "value-keyword-case": ["lower", { ignoreProperties: ["/^--font/"] }],
  },
};
