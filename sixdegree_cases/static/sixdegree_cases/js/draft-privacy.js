// Contact details and sensitive terms flagged beside each field while staff write.
//
// As an editor types in a case (or a case update), the text fields that will be public are
// sent to the site's own privacy endpoint (the review's text checks; nothing is stored there)
// once typing pauses, and what it finds is shown under each field, masked as in the review:
// "A phone number. Remove it. (+62 8••-••••-789)". Each field's note is a polite live region
// the field names in aria-describedby, so a screen reader hears it without losing its place.
// Only fields whose text changed since the last check are sent.
(() => {
  "use strict";

  const script = document.currentScript;
  const ENDPOINT = script && script.dataset.draftCheckUrl;
  // Translated by the server, like the findings' messages.
  const HEADING = (script && script.dataset.heading) || "Privacy check: this will be public.";
  // Quiet for this long after the last key before checking: a check per pause, not per key.
  const DEBOUNCE_MS = 700;
  const NOTE_CLASS = "sixdegree-draft-findings";
  const FLAGGED_CLASS = "sixdegree-draft-flagged";
  const EDIT_PATH = /\/pages\/(\d+)\/edit\/?$/;
  const ADD_PATH = /\/pages\/add\/(\w+)\/(\w+)\/(\d+)\/?$/;
  // Inputs of a block that hold no free text (the server skips them too).
  const NOT_TEXT = /-(type|id|deleted|order|count)$|-(location|stage|precision|image|decorative)(-|$)/;

  function target(form) {
    const path = new URL(form.action, window.location.href).pathname;
    const edit = EDIT_PATH.exec(path);
    if (edit) return { page: Number(edit[1]) };
    const add = ADD_PATH.exec(path);
    if (add) return { parent: Number(add[3]), type: `${add[1]}.${add[2]}` };
    return null;
  }

  // The hidden input Draftail keeps its content in (Draft.js JSON, rewritten as one types).
  function richInputs(form) {
    const inputs = new Set(form.querySelectorAll("input[data-draftail-input]"));
    for (const editor of form.querySelectorAll(".Draftail-Editor")) {
      const input = editor.parentElement?.parentElement?.querySelector(":scope > input[type=hidden][name]");
      if (input) inputs.add(input);
    }
    return inputs;
  }

  function textFields(form) {
    const fields = new Map();
    for (const input of richInputs(form)) {
      if (input.name && !input.disabled) fields.set(input.name, { input, rich: true });
    }
    const plain = form.querySelectorAll("input[name]:not([type]), input[name][type=text], textarea[name]");
    for (const input of plain) {
      if (input.disabled || NOT_TEXT.test(input.name) || input.name === "csrfmiddlewaretoken") continue;
      if (input.closest("[data-contentpath][hidden]")) continue;
      fields.set(input.name, { input, rich: false });
    }
    return fields;
  }

  // What a screen reader and the eye should tie the note to: Draftail's textbox, or the input.
  function describedElement(field) {
    if (!field.rich) return field.input;
    const wrapper = field.input.parentElement;
    return wrapper?.querySelector(".Draftail-Editor [role=textbox]") || null;
  }

  function noteFor(field) {
    const id = `${field.input.id || field.input.name}-privacy-findings`;
    let note = document.getElementById(id);
    if (note) return note;
    note = document.createElement("div");
    note.id = id;
    note.className = NOTE_CLASS;
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    const wrapper = field.input.closest(".w-field__input") || field.input.parentElement;
    wrapper.after(note);
    return note;
  }

  function describe(element, id, on) {
    if (!element) return;
    const ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const next = on ? [...new Set([...ids, id])] : ids.filter((other) => other !== id);
    if (next.length) element.setAttribute("aria-describedby", next.join(" "));
    else element.removeAttribute("aria-describedby");
  }

  function show(field, findings) {
    const note = noteFor(field);
    const element = describedElement(field);
    const flagged = findings.length > 0;
    // Tied to the field only while it says something: an empty description reads as nothing.
    describe(element, note.id, flagged);
    // A warning, not an error: the form still saves (the review blocks), so no aria-invalid.
    (element || field.input).classList.toggle(FLAGGED_CLASS, flagged);
    if (!flagged) {
      note.replaceChildren();
      return;
    }
    const heading = document.createElement("p");
    heading.className = `${NOTE_CLASS}__heading`;
    heading.textContent = HEADING;
    const list = document.createElement("ul");
    for (const finding of findings) {
      const item = document.createElement("li");
      item.dataset.check = finding.check;
      item.textContent = finding.masked ? `${finding.message} (${finding.masked})` : finding.message;
      list.append(item);
    }
    note.replaceChildren(heading, list);
  }

  function csrfToken(form) {
    return form.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  }

  function start() {
    const form = document.querySelector("form[data-edit-form]");
    const where = form && ENDPOINT && target(form);
    if (!where) return;
    const sent = new Map();
    let timer = null;
    let inFlight = false;
    let again = false;
    let stopped = false;

    async function check() {
      if (stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      const fields = textFields(form);
      const changed = {};
      for (const [name, field] of fields) {
        if (sent.get(name) !== field.input.value) changed[name] = { value: field.input.value, rich: field.rich };
      }
      // A removed block's notes go with it.
      for (const name of sent.keys()) if (!fields.has(name)) sent.delete(name);
      if (!Object.keys(changed).length) return;
      inFlight = true;
      try {
        const response = await fetch(ENDPOINT, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
          body: JSON.stringify({ ...where, fields: changed }),
        });
        if (response.status === 429) {
          // Paused by the rate limit: try again once the minute is over.
          window.setTimeout(schedule, 60_000);
          return;
        }
        if (!response.ok) {
          // Not a case, or no permission: the reviewer's checks still run on submission.
          if (response.status >= 400 && response.status < 500) stopped = true;
          return;
        }
        const data = await response.json();
        for (const [name, value] of Object.entries(changed)) {
          sent.set(name, value.value);
          const field = fields.get(name);
          if (field) show(field, (data.fields && data.fields[name]) || []);
        }
      } catch (error) {
        // Offline for a moment: the next pause in typing tries again.
        console.error(error);
      } finally {
        inFlight = false;
        if (again) {
          again = false;
          schedule();
        }
      }
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, DEBOUNCE_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    // Draftail writes its hidden input a moment after each key, and new blocks render later.
    form.addEventListener("keyup", schedule);
    schedule();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
