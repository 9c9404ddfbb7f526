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
  // Room around the journey in the overview: half a marker, its number badge and a margin.
  const OVERVIEW_PADDING = [MARKER_SIZE, MARKER_SIZE];
  // A swipe on a milestone card moves along the journey once it is this long (px) and more
  // sideways than up or down (which scrolls the page).
  const SWIPE_DISTANCE = 50;
  const MILESTONE_HASH = /^#milestone-(\d+)$/;
  // A scroll of the strip of cards is over once it has not moved for this long.
  const STRIP_SETTLE_MS = 150;
  const Route = window.SixdegreeStoryRoute;

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

  class StoryMap {
    constructor(root, milestones, config) {
      this.root = root;
      this.milestones = milestones;
      this.config = config;
      this.strings = config.strings || {};
      this.interactive = root.querySelector("[data-story-interactive]");
      this.mapElement = root.querySelector("[data-story-map]");
      this.panel = root.querySelector("[data-story-panel]");
      // On a phone the milestones are a strip of cards under the map (CSS shows one or the
      // other): scrolling the strip selects a milestone, selecting one scrolls the strip.
      this.strip = root.querySelector("[data-story-strip]");
      this.prevButton = root.querySelector("[data-story-prev]");
      this.nextButton = root.querySelector("[data-story-next]");
      this.overviewButton = root.querySelector("[data-story-overview]");
      this.markers = new Map(); // milestone index → L.Marker
      this.index = 0;
    }

    start() {
      // The panel is filled while still hidden, so screen readers do not announce page load.
      const fromHash = this.indexFromHash();
      this.index = fromHash ?? 0;
      this.render(this.index);
      this.buildStrip();
      this.interactive.hidden = false;

      // On a touch screen one finger scrolls the page: the map moves only after a tap on
      // "Move the map" (tap-to-interact), and a second tap gives the finger back to the page.
      this.touchFirst =
        window.L.Browser.mobile || window.matchMedia("(pointer: coarse)").matches;
      const map = window.L.map(this.mapElement, {
        maxZoom: this.config.tileLayer ? 18 : BASEMAP_MAX_ZOOM,
        minZoom: 1,
        zoomSnap: 0.5,
        // A page scrolled with the wheel should scroll the page rather than zoom the map; the
        // zoom buttons, the keyboard and the markers still work.
        scrollWheelZoom: false,
        dragging: !this.touchFirst,
        touchZoom: !this.touchFirst,
        tapHold: false,
      });
      this.map = map;
      this.trackMoves();

      this.places = Route.places(this.milestones);
      this.placeOf = new Map();
      for (const place of this.places) {
        for (const index of place.indexes) this.placeOf.set(index, place);
      }
      const route = Route.legs(this.milestones, this.placeOf).map(([from, to]) => Route.arc(map, from, to));
      const framed = this.places.map((place) => [place.lat, place.lng]);
      for (const leg of route) framed.push(...leg.latLngs);
      this.bounds = framed.length ? window.L.latLngBounds(framed) : null;
      // The view comes first: Leaflet only creates a marker's element once the map has one.
      this.overview({ animate: false });
      window.SixdegreeBasemap.addTo(map, this.config);
      this.keepNamesOffMarkers();

      this.addRoute(route);
      this.addMarkers();
      if (this.touchFirst) this.addTouchToggle();
      this.select(this.index, { fly: fromHash !== null, updateHash: false, animate: false });
      this.bindControls();
    }

    // `data-settled` is on the map element while nothing moves: tests (and screenshots) wait
    // for it instead of for a time.
    trackMoves() {
      const element = this.mapElement;
      this.map.on("movestart zoomstart", () => delete element.dataset.settled);
      this.map.on("moveend", () => {
        element.dataset.settled = "";
      });
      element.dataset.settled = "";
    }

    keepNamesOffMarkers() {
      const points = this.places.map((place) => [place.lat, place.lng]);
      if (this.map.sixdegreeLabels) this.map.sixdegreeLabels.setObstacles(points);
      this.map.on("sixdegree:labels", (event) => event.layer.setObstacles(points));
    }

    addRoute(route) {
      for (const leg of route) {
        window.L.polyline(leg.latLngs, {
          className: "story-map__route",
          color: "#3d3935",
          weight: 2.5,
          dashArray: "6 6",
          interactive: false,
        }).addTo(this.map);
        const arrow = window.L.marker(leg.middle, {
          icon: window.L.divIcon({
            className: "story-route__arrow",
            html: '<span class="story-route__chevron"></span>',
            iconSize: [14, 14],
            iconAnchor: [7, 7],
          }),
          interactive: false,
          keyboard: false,
          zIndexOffset: -1000,
        }).addTo(this.map);
        // Set through the DOM (not an inline style attribute, which the CSP forbids).
        arrow.getElement().firstElementChild.style.transform = `rotate(${leg.degrees}deg)`;
      }
    }

    // A copy of the stage's icon (inline SVG the page carries in a <template>), or null.
    stageIcon(stage) {
      for (const template of this.root.querySelectorAll("template[data-stage-icon]")) {
        if (template.dataset.stageIcon === stage) return template.content.firstElementChild.cloneNode(true);
      }
      return null;
    }

    markerLabel(milestone) {
      return format(this.strings.markerLabel || "%(number)s: %(stage)s — %(title)s", {
        number: milestone.number,
        stage: milestone.stage_label,
        title: milestone.title,
      });
    }

    addMarkers() {
      // Added in story order, so the markers' tab order follows the journey.
      for (const place of this.places) {
        const group = place.indexes.map((index) => this.milestones[index]);
        const first = group[0];
        const numbers = Route.numbersText(group.map((milestone) => milestone.number));
        const icon = window.L.divIcon({
          className: `story-marker story-marker--${first.stage}${group.length > 1 ? " story-marker--group" : ""}`,
          html: '<span class="story-marker__badge"></span><span class="story-marker__number"></span>',
          iconSize: [MARKER_SIZE, MARKER_SIZE],
          iconAnchor: [MARKER_SIZE / 2, MARKER_SIZE / 2],
        });
        const label = group.map((milestone) => this.markerLabel(milestone)).join("; ");
        const marker = window.L.marker([place.lat, place.lng], {
          icon,
          keyboard: true,
          title: label,
          riseOnHover: true,
        }).addTo(this.map);
        const markerElement = marker.getElement();
        const stageIcon = this.stageIcon(first.stage);
        if (stageIcon) markerElement.querySelector(".story-marker__badge").append(stageIcon);
        markerElement.querySelector(".story-marker__number").textContent = numbers;
        markerElement.dataset.milestoneNumber = first.number;
        markerElement.dataset.milestoneNumbers = group.map((milestone) => milestone.number).join(" ");
        markerElement.setAttribute("aria-label", label);
        // One marker for several milestones: it opens the first one there after the current
        // milestone (so it follows the journey, and repeated activations go through them all).
        const activate = () => {
          this.select(place.indexes.find((other) => other > this.index) ?? place.indexes[0]);
        };
        marker.on("click", activate);
        // Leaflet gives the marker role="button" but no keyboard activation without a popup.
        markerElement.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            activate();
          }
        });
        for (const index of place.indexes) this.markers.set(index, marker);
      }
    }

    addTouchToggle() {
      const storyMap = this;
      const Toggle = window.L.Control.extend({
        options: { position: "topright" },
        onAdd() {
          const button = element("button", "story-map__touch-toggle");
          button.type = "button";
          button.dataset.storyTouchToggle = "";
          window.L.DomEvent.disableClickPropagation(button);
          button.addEventListener("click", () => storyMap.setTouchMoves(!storyMap.touchMoves));
          storyMap.touchToggle = button;
          return button;
        },
      });
      new Toggle().addTo(this.map);
      this.setTouchMoves(false);
    }

    setTouchMoves(on) {
      this.touchMoves = on;
      const handlers = [this.map.dragging, this.map.touchZoom];
      for (const handler of handlers) {
        if (on) handler.enable();
        else handler.disable();
      }
      this.mapElement.classList.toggle("is-touch-moving", on);
      this.touchToggle.setAttribute("aria-pressed", String(on));
      this.touchToggle.textContent = on
        ? this.strings.touchDone || "Done moving the map"
        : this.strings.touchStart || "Tap to move the map";
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

      // A milestone card is swiped sideways to the next or previous milestone (touch only:
      // the page still scrolls up and down under the finger).
      let swipe = null;
      this.panel.addEventListener("pointerdown", (event) => {
        swipe = event.pointerType === "touch" ? { x: event.clientX, y: event.clientY } : null;
      });
      this.panel.addEventListener("pointerup", (event) => {
        if (!swipe) return;
        const dx = event.clientX - swipe.x;
        const dy = event.clientY - swipe.y;
        swipe = null;
        if (Math.abs(dx) >= SWIPE_DISTANCE && Math.abs(dx) > 2 * Math.abs(dy)) {
          this.select(this.index + (dx < 0 ? 1 : -1));
        }
      });
      this.panel.addEventListener("pointercancel", () => {
        swipe = null;
      });
      // "At this place": the other milestones sharing the current marker.
      this.panel.addEventListener("click", (event) => {
        const button = event.target.closest("[data-story-goto]");
        if (button) this.select(Number(button.dataset.storyGoto));
      });

      // A link to #milestone-3 opens the map at that milestone.
      window.addEventListener("hashchange", () => {
        const index = this.indexFromHash();
        if (index !== null && index !== this.index) this.select(index, { updateHash: false });
      });
    }

    indexFromHash() {
      const match = MILESTONE_HASH.exec(window.location.hash);
      if (!match) return null;
      const index = this.milestones.findIndex((milestone) => milestone.number === Number(match[1]));
      return index >= 0 ? index : null;
    }

    select(index, { fly = true, focusMarker = false, updateHash = true, animate = true, scrollStrip = true } = {}) {
      if (index < 0 || index >= this.milestones.length) return;
      const changed = index !== this.index;
      this.index = index;
      if (changed) this.render(index);
      const current = this.markers.get(index);

      for (const marker of new Set(this.markers.values())) {
        const markerElement = marker.getElement();
        const isCurrent = marker === current;
        markerElement.classList.toggle("is-current", isCurrent);
        if (isCurrent) {
          markerElement.setAttribute("aria-current", "step");
        } else {
          markerElement.removeAttribute("aria-current");
        }
        marker.setZIndexOffset(isCurrent ? 1000 : 0);
      }
      // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
      this.prevButton.setAttribute("aria-disabled", String(index === 0));
      this.nextButton.setAttribute("aria-disabled", String(index === this.milestones.length - 1));

      const milestone = this.milestones[index];
      if (updateHash && changed) {
        // The address names the milestone (to share or reload) without scrolling the page.
        window.history.replaceState(window.history.state, "", `#milestone-${milestone.number}`);
      }
      if (fly && Route.isLocated(milestone)) {
        const zoom = Math.max(this.map.getZoom(), FOCUS_ZOOM);
        if (reducedMotion.matches || !animate) {
          this.map.setView([milestone.lat, milestone.lng], zoom, { animate: false });
        } else {
          this.map.flyTo([milestone.lat, milestone.lng], zoom, { duration: 0.8 });
        }
      }
      if (focusMarker && current) {
        current.getElement().focus({ preventScroll: true });
      }
      this.markCard(index, { scroll: scrollStrip, animate });
    }

    // --- The strip of cards (phones) ----------------------------------------------------

    buildStrip() {
      if (!this.strip) return;
      const cards = this.milestones.map((milestone, index) => {
        const card = element("li", `story-card stage--${milestone.stage}`);
        card.dataset.stripIndex = index;
        card.append(...this.cardParts(index, { placeList: false, lazyImages: true }));
        return card;
      });
      this.strip.replaceChildren(...cards);
      this.strip.hidden = false;
      this.root.classList.add("story--strip");
      // The card nearest the strip's middle, once a scroll comes to rest, is the milestone.
      let settle = null;
      // (A scroll the map started ends on the current card, so it selects nothing more.)
      const settled = () => {
        settle = null;
        const index = this.centredCard();
        if (index !== null && index !== this.index) this.select(index, { scrollStrip: false });
      };
      this.strip.addEventListener("scroll", () => {
        window.clearTimeout(settle);
        settle = window.setTimeout(settled, STRIP_SETTLE_MS);
      });
    }

    stripShown() {
      return Boolean(this.strip && this.strip.offsetParent !== null);
    }

    centredCard() {
      const middle = this.strip.getBoundingClientRect().left + this.strip.clientWidth / 2;
      let best = null;
      let distance = Infinity;
      for (const card of this.strip.children) {
        const box = card.getBoundingClientRect();
        const away = Math.abs(box.left + box.width / 2 - middle);
        if (away < distance) {
          distance = away;
          best = Number(card.dataset.stripIndex);
        }
      }
      return best;
    }

    markCard(index, { scroll = true, animate = true } = {}) {
      if (!this.strip) return;
      for (const card of this.strip.children) {
        const isCurrent = Number(card.dataset.stripIndex) === index;
        card.classList.toggle("is-current", isCurrent);
        if (isCurrent) card.setAttribute("aria-current", "step");
        else card.removeAttribute("aria-current");
      }
      const card = this.strip.children[index];
      if (!scroll || !card || !this.stripShown()) return;
      const left = card.offsetLeft - (this.strip.clientWidth - card.offsetWidth) / 2;
      if (Math.abs(this.strip.scrollLeft - left) < 1) return;
      this.strip.scrollTo({ left, behavior: reducedMotion.matches || !animate ? "auto" : "smooth" });
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

    // The other milestones at the current one's place, as buttons.
    placeList(index) {
      const place = this.placeOf && this.placeOf.get(index);
      if (!place || place.indexes.length < 2) return null;
      const nav = element("nav", "story-panel__place-list");
      nav.setAttribute("aria-label", this.strings.samePlace || "At this place");
      nav.append(element("p", "story-panel__place-list-heading", this.strings.samePlace || "At this place"));
      const list = element("ul");
      for (const other of place.indexes) {
        const milestone = this.milestones[other];
        const button = element("button", "story-panel__place-button", `${milestone.number}. ${milestone.title}`);
        button.type = "button";
        button.dataset.storyGoto = other;
        if (other === index) button.setAttribute("aria-current", "step");
        const item = element("li");
        item.append(button);
        list.append(item);
      }
      nav.append(list);
      return nav;
    }

    // The panel, rebuilt for one milestone. Text goes in as text; only the narrative is HTML,
    // and it is the site's own rich text output.
    render(index) {
      const milestone = this.milestones[index];
      this.panel.replaceChildren(...this.cardParts(index));
      this.panel.dataset.currentMilestone = milestone.number;
    }

    // What a card says of one milestone (the panel's, and each card of the strip).
    cardParts(index, { placeList: withPlaceList = true, lazyImages = false } = {}) {
      const milestone = this.milestones[index];

      const meta = element("p", "story-panel__meta");
      const stage = element("span", `story-panel__stage stage stage--${milestone.stage}`);
      const icon = this.stageIcon(milestone.stage);
      if (icon) stage.append(icon);
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
      const placeList = withPlaceList && this.placeList(index);
      if (placeList) parts.push(placeList);
      if (milestone.illustration && milestone.illustration.url) {
        const figure = element("figure", "story-panel__illustration");
        const image = element("img");
        Object.assign(image, {
          src: milestone.illustration.url,
          alt: milestone.illustration.alt || "",
          width: milestone.illustration.width,
          height: milestone.illustration.height,
        });
        if (lazyImages) image.loading = "lazy";
        figure.append(image);
        parts.push(figure);
      }
      const link = element("a", "story-panel__link", this.strings.link || "Link to this step");
      link.href = `#milestone-${milestone.number}`;
      parts.push(link);
      return parts;
    }
  }

  function init(root) {
    const milestones = readJson(root.dataset.storyMilestones);
    const config = readJson(root.dataset.storyConfig);
    // Without Leaflet or data the list below the map still tells the whole story.
    if (!window.L || !window.SixdegreeBasemap || !Route || !milestones || !milestones.length || !config) return;
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
