// Each Draftail rich-text editor is named by its field's label.
//
// Wagtail renders the editable area (role="textbox") with no accessible name: a screen reader
// announced an unnamed text field (axe: aria-input-field-name). The label Wagtail renders for
// the field becomes the textbox's name.
// Editors added later (new StreamField blocks) are named as they appear.
(() => {
  "use strict";

  function labelFor(textbox) {
    const editor = textbox.closest(".Draftail-Editor");
    const input = editor?.parentElement?.parentElement?.querySelector(":scope > input[id]");
    const byId =
      input &&
      (document.querySelector(`label[for="${CSS.escape(input.id)}"]`) ||
        document.getElementById(`${input.id}-label`));
    if (byId) return byId;
    // A rich-text block's label has no `for` (there is no input to focus): it is the label
    // just before the field's wrapper (StructBlock), or inside it (a page's FieldPanel).
    const wrapper = editor?.closest(".w-field__wrapper");
    if (!wrapper) return null;
    return (
      wrapper.querySelector(".w-field__label") ||
      wrapper.parentElement?.querySelector(":scope > .w-field__label") ||
      null
    );
  }

  let counter = 0;

  function name(root) {
    for (const textbox of root.querySelectorAll(".Draftail-Editor [role=textbox]")) {
      if (textbox.hasAttribute("aria-labelledby") || textbox.hasAttribute("aria-label")) continue;
      const label = labelFor(textbox);
      if (!label) continue;
      if (!label.id) label.id = `sixdegree-draftail-label-${++counter}`;
      textbox.setAttribute("aria-labelledby", label.id);
    }
  }

  function start() {
    name(document);
    // At most once a frame: typing in an editor mutates the page on every key.
    let pending = false;
    const later = () => {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(() => {
        pending = false;
        name(document);
      });
    };
    new MutationObserver(later).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
