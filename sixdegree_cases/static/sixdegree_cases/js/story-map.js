// The story map of a survivor's case: numbered milestone markers along the journey, and a
// panel that tells the current milestone.
//
// Progressive enhancement: the page already tells the whole story as an ordered list, which is
// also the map's text alternative. This script only reveals the interactive part, built from
// the milestones JSON the page carries (`page.milestones`, the same allow-list as the API) and
// a JSON configuration: no inline code, so a strict Content-Security-Policy stays possible.
(() => {
  "use strict";

  // Close enough to see the region, far enough to keep a coarse place coarse.
  const FOCUS_ZOOM = 6;
  // The countries basemap is drawn at 1:110m: zooming further only shows its coarseness.
  const BASEMAP_MAX_ZOOM = 8;
  const MARKER_SIZE = 40;
  // Milestones snapped to the same place would hide each other: fan them out by this many px.
  const SAME_PLACE_RADIUS = 28;
  const OVERVIEW_PADDING = [48, 48];

  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function readJson(id) {
    const element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // Fills "%(name)s" placeholders, the format Django's translations use.
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, key) => (key in values ? String(values[key]) : match));
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function isLocated(milestone) {
    return typeof milestone.lat === "number" && typeof milestone.lng === "number";
  }

  // Pixel offsets that fan out markers sharing one place (snapping often merges places).
  function markerOffsets(milestones) {
    const groups = new Map();
    milestones.forEach((milestone, index) => {
      if (!isLocated(milestone)) return;
      const key = `${milestone.lat.toFixed(4)},${milestone.lng.toFixed(4)}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(index);
    });
    const offsets = new Map();
    for (const indexes of groups.values()) {
      indexes.forEach((index, position) => {
        if (indexes.length === 1) {
          offsets.set(index, [0, 0]);
          return;
        }
        const angle = -Math.PI / 2 + (2 * Math.PI * position) / indexes.length;
        offsets.set(index, [
          Math.round(SAME_PLACE_RADIUS * Math.cos(angle)),
          Math.round(SAME_PLACE_RADIUS * Math.sin(angle)),
        ]);
      });
    }
    return offsets;
  }

  class StoryMap {
    constructor(root, milestones, config) {
      this.root = root;
      this.milestones = milestones;
      this.config = config;
      this.strings = config.strings || {};
      this.icons = config.icons || {};
      this.interactive = root.querySelector("[data-story-interactive]");
      this.mapElement = root.querySelector("[data-story-map]");
      this.panel = root.querySelector("[data-story-panel]");
      this.prevButton = root.querySelector("[data-story-prev]");
      this.nextButton = root.querySelector("[data-story-next]");
      this.overviewButton = root.querySelector("[data-story-overview]");
      this.markers = new Map(); // milestone index → L.Marker
      this.index = 0;
    }

    start() {
      // The panel is filled while still hidden, so screen readers do not announce page load.
      this.render(0);
      this.interactive.hidden = false;

      const map = window.L.map(this.mapElement, {
        maxZoom: this.config.tileLayer ? 18 : BASEMAP_MAX_ZOOM,
        minZoom: 1,
        zoomSnap: 0.5,
        // A page scrolled with the wheel, or on a phone with one finger, should scroll the
        // page rather than move the map; the zoom buttons, pinching and markers still work.
        scrollWheelZoom: false,
        dragging: !window.L.Browser.mobile,
      });
      this.map = map;
      const located = this.milestones.filter(isLocated).map((m) => [m.lat, m.lng]);
      this.bounds = located.length ? window.L.latLngBounds(located) : null;
      // The view comes first: Leaflet only creates a marker's element once the map has one.
      this.overview({ animate: false });
      window.SixdegreeBasemap.addTo(map, this.config);

      if (located.length > 1) {
        window.L.polyline(located, {
          className: "story-map__route",
          color: "#3d3935",
          weight: 2.5,
          dashArray: "6 6",
          interactive: false,
        }).addTo(map);
      }
      this.addMarkers();
      this.select(0, { fly: false });
      this.bindControls();
    }

    markerLabel(milestone) {
      return format(this.strings.markerLabel || "%(number)s: %(stage)s — %(title)s", {
        number: milestone.number,
        stage: milestone.stage_label,
        title: milestone.title,
      });
    }

    addMarkers() {
      const offsets = markerOffsets(this.milestones);
      // Added in story order, so the markers' tab order follows the journey.
      this.milestones.forEach((milestone, index) => {
        if (!isLocated(milestone)) return;
        const [dx, dy] = offsets.get(index);
        const html =
          `<span class="story-marker__badge"><img src="${this.icons[milestone.stage] || ""}" alt="" ` +
          `width="22" height="22"></span><span class="story-marker__number">${milestone.number}</span>`;
        const icon = window.L.divIcon({
          className: `story-marker story-marker--${milestone.stage}`,
          html,
          iconSize: [MARKER_SIZE, MARKER_SIZE],
          iconAnchor: [MARKER_SIZE / 2 - dx, MARKER_SIZE / 2 - dy],
        });
        const label = this.markerLabel(milestone);
        const marker = window.L.marker([milestone.lat, milestone.lng], {
          icon,
          keyboard: true,
          title: label,
          riseOnHover: true,
        }).addTo(this.map);
        const markerElement = marker.getElement();
        markerElement.dataset.milestoneNumber = milestone.number;
        markerElement.setAttribute("aria-label", label);
        marker.on("click", () => this.select(index));
        // Leaflet gives the marker role="button" but no keyboard activation without a popup.
        markerElement.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            this.select(index);
          }
        });
        this.markers.set(index, marker);
      });
    }

    bindControls() {
      this.prevButton.addEventListener("click", () => this.select(this.index - 1));
      this.nextButton.addEventListener("click", () => this.select(this.index + 1));
      this.overviewButton.addEventListener("click", () => this.overview());

      // Left/Right move along the journey anywhere in the story map, the map itself included.
      // Stopping the event here keeps Leaflet (which listens on the document once the map has
      // focus) from also panning; Up/Down and +/- still pan and zoom the map.
      this.interactive.addEventListener("keydown", (event) => {
        if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
        if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
        if (event.target.closest("input, textarea, select, [contenteditable]")) return;
        event.preventDefault();
        event.stopPropagation();
        const onMarker = Boolean(event.target.closest("[data-milestone-number]"));
        this.select(this.index + (event.key === "ArrowRight" ? 1 : -1), { focusMarker: onMarker });
      });
    }

    select(index, { fly = true, focusMarker = false } = {}) {
      if (index < 0 || index >= this.milestones.length) return;
      const changed = index !== this.index;
      this.index = index;
      if (changed) this.render(index);

      this.markers.forEach((marker, markerIndex) => {
        const markerElement = marker.getElement();
        const current = markerIndex === index;
        markerElement.classList.toggle("is-current", current);
        if (current) {
          markerElement.setAttribute("aria-current", "step");
        } else {
          markerElement.removeAttribute("aria-current");
        }
        marker.setZIndexOffset(current ? 1000 : 0);
      });
      // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
      this.prevButton.setAttribute("aria-disabled", String(index === 0));
      this.nextButton.setAttribute("aria-disabled", String(index === this.milestones.length - 1));

      const milestone = this.milestones[index];
      if (fly && isLocated(milestone)) {
        const zoom = Math.max(this.map.getZoom(), FOCUS_ZOOM);
        if (reducedMotion.matches) {
          this.map.setView([milestone.lat, milestone.lng], zoom, { animate: false });
        } else {
          this.map.flyTo([milestone.lat, milestone.lng], zoom, { duration: 0.8 });
        }
      }
      const marker = this.markers.get(index);
      if (focusMarker && marker) {
        marker.getElement().focus({ preventScroll: true });
      }
    }

    overview({ animate = !reducedMotion.matches } = {}) {
      if (!this.bounds) {
        this.map.setView([0, 0], 1);
      } else if (this.bounds.getNorthEast().equals(this.bounds.getSouthWest())) {
        this.map.setView(this.bounds.getCenter(), FOCUS_ZOOM, { animate });
      } else {
        this.map.fitBounds(this.bounds, { padding: OVERVIEW_PADDING, maxZoom: FOCUS_ZOOM, animate });
      }
    }

    // The panel, rebuilt for one milestone. Text goes in as text; only the narrative is HTML,
    // and it is the site's own rich text output.
    render(index) {
      const milestone = this.milestones[index];
      const panel = this.panel;

      const meta = element("p", "story-panel__meta");
      const stage = element("span", `story-panel__stage stage stage--${milestone.stage}`);
      const iconUrl = this.icons[milestone.stage];
      if (iconUrl) {
        const icon = element("img", "stage__icon");
        Object.assign(icon, { src: iconUrl, alt: "", width: 24, height: 24 });
        stage.append(icon);
      }
      stage.append(element("span", "stage__label", milestone.stage_label));
      const position = format(this.strings.position || "%(number)s / %(total)s", {
        number: index + 1,
        total: this.milestones.length,
      });
      // The space keeps "Exploitation 3 of 5" two words for screen readers and copy-paste.
      meta.append(stage, " ", element("span", "story-panel__position", position));

      const title = element("h3", "story-panel__title", milestone.title);
      const whenWhere = element("p", "story-panel__when-where");
      whenWhere.append(element("span", "story-panel__period", milestone.period));
      if (milestone.place_label) {
        whenWhere.append(" · ", element("span", "story-panel__place", milestone.place_label));
      }

      const narrative = element("div", "story-panel__narrative rich-text");
      narrative.dataset.storyNarrative = "";
      narrative.innerHTML = milestone.narrative;

      const parts = [meta, title, whenWhere, narrative];
      if (milestone.illustration && milestone.illustration.url) {
        const figure = element("figure", "story-panel__illustration");
        const image = element("img");
        Object.assign(image, {
          src: milestone.illustration.url,
          alt: milestone.illustration.alt || "",
          width: milestone.illustration.width,
          height: milestone.illustration.height,
        });
        figure.append(image);
        parts.push(figure);
      }
      panel.replaceChildren(...parts);
      panel.dataset.currentMilestone = milestone.number;
    }
  }

  function init(root) {
    const milestones = readJson(root.dataset.storyMilestones);
    const config = readJson(root.dataset.storyConfig);
    // Without Leaflet or data the list below the map still tells the whole story.
    if (!window.L || !window.SixdegreeBasemap || !milestones || !milestones.length || !config) return;
    const storyMap = new StoryMap(root, milestones, config);
    storyMap.start();
    root.storyMap = storyMap;
  }

  function initAll() {
    document.querySelectorAll("[data-story]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
