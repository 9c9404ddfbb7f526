// Contact details and sensitive terms flagged beside each field while staff write.
//
// As an editor types in a case (or a case update), the text fields that will be public are
// sent to the site's own privacy endpoint (the review's text checks; nothing is stored there)
// once typing pauses, and what it finds is shown under each field, masked as in the review:
// "A phone number. Remove it. (+62 8••-••••-789)". Each field's note is a polite live region
// the field names in aria-describedby, so a screen reader hears it without losing its place.
// Only fields whose text changed since the last check are sent, in batches under the server's
// bound on one request (a long case's first check takes several).
//
// Checking never stops silently: when it pauses (too many checks this minute) or is off (no
// permission), a polite live region says so and why; a field it cannot check (too long,
// unreadable) says so in its own note, and the other fields are still checked.
(() => {
  "use strict";

  const script = document.currentScript;
  const data = (script && script.dataset) || {};
  const ENDPOINT = data.draftCheckUrl;
  // Translated by the server, like the findings' messages.
  const HEADING = data.heading || "Privacy check: this will be public.";
  const TEXT = {
    paused:
      data.paused || "Checking while you write is paused: too many checks this minute; it resumes in a minute.",
    off: data.off || "Checking while you write is off:",
    offline: data.offline || "Checking while you write could not reach the site; it will try again.",
    tooLong: data.tooLong || "This field is too long to check while you write; the review will check it.",
    unreadable: data.unreadable || "This field could not be checked while you write; the review will check it.",
    more: data.more || "And more…",
  };
  // The server's bounds on one request (SIXDEGREE_DRAFT_CHECK_MAX_CHARS and the field limits).
  const MAX_CHARS = Number(data.maxChars) || 200000;
  const MAX_FIELD_CHARS = Number(data.maxFieldChars) || 50000;
  const MAX_FIELDS = Number(data.maxFields) || 400;
  // After a failure to reach the site, try again this much later even if no one types.
  const OFFLINE_RETRY_MS = 30_000;
  // Quiet for this long after the last key before checking: a check per pause, not per key.
  const DEBOUNCE_MS = 700;
  const NOTE_CLASS = "sixdegree-draft-findings";
  const FLAGGED_CLASS = "sixdegree-draft-flagged";
  const STATUS_ID = "sixdegree-draft-status";
  const STATUS_CLASS = "sixdegree-draft-status";
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

  // A field's note: a status (why it is not checked), then what the checks found.
  function show(field, { findings = [], more = false, status = "" }) {
    const note = noteFor(field);
    const element = describedElement(field);
    const flagged = findings.length > 0;
    // Tied to the field only while it says something: an empty description reads as nothing.
    describe(element, note.id, flagged || Boolean(status));
    // A warning, not an error: the form still saves (the review blocks), so no aria-invalid.
    (element || field.input).classList.toggle(FLAGGED_CLASS, flagged);
    const parts = [];
    if (status) {
      const line = document.createElement("p");
      line.className = `${NOTE_CLASS}__status`;
      line.textContent = status;
      parts.push(line);
    }
    if (flagged) {
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
      if (more) {
        // The checks stopped after a bound on this field: the review lists every finding.
        const item = document.createElement("li");
        item.className = `${NOTE_CLASS}__more`;
        item.textContent = TEXT.more;
        list.append(item);
      }
      parts.push(heading, list);
    }
    note.replaceChildren(...parts);
  }

  // The form's own note, for what concerns every field: checking paused, off or unreachable.
  function formStatus(form) {
    let region = document.getElementById(STATUS_ID);
    if (region) return region;
    region = document.createElement("div");
    region.id = STATUS_ID;
    region.className = STATUS_CLASS;
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    form.append(region);
    return region;
  }

  function csrfToken(form) {
    return form.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  }

  // Seconds to wait from a Retry-After header (seconds or an HTTP date); a minute if unreadable.
  function retryAfter(response) {
    const header = response.headers.get("Retry-After") || "";
    let seconds = Number.parseInt(header, 10);
    if (!/^\d+$/.test(header.trim())) {
      const date = Date.parse(header);
      seconds = Number.isNaN(date) ? 60 : Math.ceil((date - Date.now()) / 1000);
    }
    return Math.min(Math.max(seconds, 1), 3600);
  }

  // Changed fields in batches the server accepts: under MAX_CHARS and MAX_FIELDS each.
  function batches(changed) {
    const all = [];
    let batch = [];
    let size = 0;
    for (const entry of changed) {
      const length = entry.value.length;
      if (batch.length && (size + length > MAX_CHARS || batch.length >= MAX_FIELDS)) {
        all.push(batch);
        batch = [];
        size = 0;
      }
      batch.push(entry);
      size += length;
    }
    if (batch.length) all.push(batch);
    return all;
  }

  async function errorOf(response) {
    try {
      const body = await response.json();
      return { message: String(body.error || ""), code: body.code || "", field: body.field || "" };
    } catch {
      return { message: "", code: "", field: "" };
    }
  }

  function start() {
    const form = document.querySelector("form[data-edit-form]");
    const where = form && ENDPOINT && target(form);
    if (!where) return;
    // The value last checked, and the value left to the review (too long, unreadable), by name.
    const sent = new Map();
    const skipped = new Map();
    let timer = null;
    let inFlight = false;
    let again = false;
    let off = false;
    let pausedUntil = 0;
    let offlineTimer = null;

    function say(message) {
      const region = formStatus(form);
      if (region.textContent !== message) region.textContent = message;
    }

    function skip(entry, status) {
      skipped.set(entry.name, entry.value);
      sent.delete(entry.name);
      show(entry.field, { status });
    }

    // "done": this batch is answered; "stop": send nothing more now (paused, off, offline).
    async function send(batch) {
      const fields = {};
      for (const entry of batch) fields[entry.name] = { value: entry.value, rich: entry.field.rich };
      let response;
      try {
        response = await fetch(ENDPOINT, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
          body: JSON.stringify({ ...where, fields }),
        });
      } catch (error) {
        console.error(error);
        return offline();
      }
      if (response.ok) {
        let answer;
        try {
          answer = await response.json();
        } catch (error) {
          console.error(error);
          return offline();
        }
        const more = new Set(answer.more || []);
        for (const entry of batch) {
          sent.set(entry.name, entry.value);
          skipped.delete(entry.name);
          show(entry.field, {
            findings: (answer.fields && answer.fields[entry.name]) || [],
            more: more.has(entry.name),
          });
        }
        say("");
        return "done";
      }
      if (response.status === 429) {
        const seconds = retryAfter(response);
        pausedUntil = Date.now() + seconds * 1000;
        say(TEXT.paused);
        window.setTimeout(() => {
          pausedUntil = 0;
          say("");
          schedule();
        }, seconds * 1000);
        return "stop";
      }
      if (response.status >= 500) return offline();
      const error = await errorOf(response);
      const atFault = error.field && batch.find((entry) => entry.name === error.field);
      if (atFault) {
        // One field cannot be checked: say so under it, and check the others.
        skip(atFault, error.code === "field_too_long" ? TEXT.tooLong : TEXT.unreadable);
        const rest = batch.filter((entry) => entry !== atFault);
        return rest.length ? send(rest) : "done";
      }
      if (error.code === "too_much_text" || response.status === 413) {
        // More than the server takes at once (its bound is lower than this page was told).
        if (batch.length === 1) {
          skip(batch[0], TEXT.tooLong);
          return "done";
        }
        const half = Math.ceil(batch.length / 2);
        const first = await send(batch.slice(0, half));
        return first === "stop" ? first : send(batch.slice(half));
      }
      off = true;
      // A page type that is not checked while writing (not a case or an update): there is
      // nothing to flag here, and the review checks it. Anything else is said, with why.
      if (error.code !== "not_checked") say(`${TEXT.off} ${error.message}`.trim());
      return "stop";
    }

    function offline() {
      say(TEXT.offline);
      window.clearTimeout(offlineTimer);
      offlineTimer = window.setTimeout(schedule, OFFLINE_RETRY_MS);
      return "stop";
    }

    async function check() {
      if (off || Date.now() < pausedUntil) return;
      if (inFlight) {
        again = true;
        return;
      }
      const fields = textFields(form);
      const changed = [];
      for (const [name, field] of fields) {
        const value = field.input.value;
        if (sent.get(name) === value || skipped.get(name) === value) continue;
        if (value.length > MAX_FIELD_CHARS) {
          // Never sent: the server would refuse it. Said under the field instead.
          skip({ name, field, value }, TEXT.tooLong);
          continue;
        }
        changed.push({ name, field, value });
      }
      // A removed block's notes go with it.
      for (const name of [...sent.keys(), ...skipped.keys()]) {
        if (!fields.has(name)) {
          sent.delete(name);
          skipped.delete(name);
        }
      }
      if (!changed.length) return;
      inFlight = true;
      try {
        for (const batch of batches(changed)) {
          if ((await send(batch)) === "stop") break;
        }
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
