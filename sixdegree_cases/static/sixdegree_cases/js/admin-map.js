// The editor's point picker without third parties.
//
// wagtailgeowidget's LeafletField always adds an L.tileLayer (OpenStreetMap by default): every
// tile request would tell the tile server which place a survivor's story is about. This file
// loads after leaflet-field.js and replaces how the map is drawn: the site's own basemap when
// no tile server is configured (no tile request at all), else the deployment's own tiles.
// The draggable marker, the lat/lng field and the zoom behaviour are wagtailgeowidget's.
(() => {
  "use strict";

  const Original = window.LeafletField;
  if (!Original || !window.SixdegreeBasemap) return;

  const translate = window.gettext || ((text) => text);

  // The constructor draws the map before it returns, and keeps only some of its options: ours
  // have to be put on `this` before the original constructor runs.
  function LeafletField(options) {
    this.basemapUrl = options.basemapUrl || "";
    this.labelsUrl = options.labelsUrl || "";
    this.labelBands = options.labelBands || [];
    // A note translated by the server may come with the options; else the admin's catalogue.
    this.snapNote = options.snapNote || "";
    // A new milestone's map opens at a default point. Submitting that point would locate the
    // milestone where nothing happened, so the field stays empty until the editor picks one
    // (drags the marker or types a point), and the server refuses the milestone until then.
    this.unpicked = samePoint(options.defaultLocation, options.unpickedLocation);
    this.unpickedPlaceholder = options.unpickedPlaceholder || "";
    this.placeSearchUrl = options.placeSearchUrl || "";
    this.placePreviewUrl = options.placePreviewUrl || "";
    this.pickerStrings = options.pickerStrings || {};
    Original.call(this, options);
  }
  LeafletField.prototype = Original.prototype;
  // Keeps the static helpers the telepath adapter calls (buildLocationString, …).
  Object.setPrototypeOf(LeafletField, Original);
  // leaflet-field-telepath.js and leaflet-field-controller.js look the name up when a field
  // is created, so replacing the global is enough.
  window.LeafletField = LeafletField;

  function samePoint(a, b) {
    if (!a || !b) return false;
    const close = (x, y) => Math.abs(parseFloat(x) - parseFloat(y)) < 1e-9;
    return close(a.lat, b.lat) && close(a.lng, b.lng);
  }

  const originalSetState = Original.prototype.setState;
  const originalWriteLocation = Original.prototype.writeLocation;
  const originalUpdateLatLng = Original.prototype.updateLatLng;
  const originalUpdateMapFromCoords = Original.prototype.updateMapFromCoords;

  LeafletField.prototype.setState = function setState(state) {
    originalSetState.call(this, this.unpicked ? "" : state);
  };

  LeafletField.prototype.writeLocation = function writeLocation(latLng) {
    this.unpicked = false;
    originalWriteLocation.call(this, latLng);
    this.updateShownAs();
  };

  LeafletField.prototype.updateLatLng = function updateLatLng(latLng) {
    if (this.unpicked) {
      this.latLngField.val("");
      this.latLngField.attr("placeholder", this.unpickedPlaceholder);
      return;
    }
    originalUpdateLatLng.call(this, latLng);
  };

  LeafletField.prototype.updateMapFromCoords = function updateMapFromCoords(latLng) {
    // An empty lat/lng field (nothing picked yet) leaves the marker where the map opened.
    if (latLng) originalUpdateMapFromCoords.call(this, latLng);
  };

  function addSnappingNote(mapElement, text) {
    if (mapElement.nextElementSibling?.classList.contains("sixdegree-map-note")) return;
    const note = document.createElement("p");
    note.className = "help sixdegree-map-note";
    note.textContent =
      text ||
      translate(
        "The exact point is never saved: on save it is snapped to a coarse place " +
          "(a large town, the region or the country, as chosen in “Show the location as”).",
      );
    mapElement.after(note);
  }

  // A point picked by clicking the map or choosing a search result: the marker moves there
  // and the field holds it, as after a drag.
  LeafletField.prototype.pick = function pick(latLng, zoom) {
    this.marker.setLatLng(latLng);
    if (zoom) this.map.setView(latLng, zoom);
    this.writeLocation(latLng);
    this.updateLatLng(latLng);
  };

  // The "Show the location as" select of the same milestone (a sibling field of the block).
  LeafletField.prototype.precisionField = function precisionField() {
    const id = this.sourceField.attr("id") || "";
    if (!id.endsWith("location")) return null;
    return document.getElementById(`${id.slice(0, -"location".length)}precision`);
  };

  LeafletField.prototype.placeLabelField = function placeLabelField() {
    const id = this.sourceField.attr("id") || "";
    if (!id.endsWith("location")) return null;
    return document.getElementById(`${id.slice(0, -"location".length)}place_label`);
  };

  // "Shown as: Surabaya, Indonesia": what the public will see, from the server's own snapping
  // and labelling (the same code the save runs), before anything is saved.
  LeafletField.prototype.updateShownAs = function updateShownAs() {
    const note = this.shownAsElement;
    if (!note || !this.placePreviewUrl) return;
    const strings = this.pickerStrings;
    const value = this.unpicked ? "" : this.sourceField.val();
    const match = /POINT\s*\(\s*(\S+)\s+(\S+)\s*\)/i.exec(value || "");
    if (!match) {
      note.textContent = strings.notPicked || "";
      delete note.dataset.shownAs;
      return;
    }
    const query = new URLSearchParams({
      lng: match[1],
      lat: match[2],
      precision: this.precisionField()?.value || "",
      label: this.placeLabelField()?.value || "",
    });
    const request = (this.shownAsRequest = (this.shownAsRequest || 0) + 1);
    fetch(`${this.placePreviewUrl}?${query}`, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => {
        if (request !== this.shownAsRequest) return; // a later point is being shown
        if (data.error) {
          note.textContent = data.error;
          delete note.dataset.shownAs;
          return;
        }
        note.textContent = (strings.shownAs || "%(label)s").replace("%(label)s", data.label);
        note.dataset.shownAs = data.label;
      })
      .catch(() => {
        if (request === this.shownAsRequest) note.textContent = "";
      });
  };

  LeafletField.prototype.addPlaceSearch = function addPlaceSearch(mapElement) {
    if (!this.placeSearchUrl) return;
    const strings = this.pickerStrings;
    const id = `${mapElement.id}-place-search`;
    const box = document.createElement("div");
    box.className = "sixdegree-place-search";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = strings.search || "";
    const input = document.createElement("input");
    Object.assign(input, { id, type: "search", autocomplete: "off", spellcheck: false });
    input.setAttribute("aria-describedby", `${id}-help`);
    input.dataset.placeSearch = "";
    const help = document.createElement("p");
    help.id = `${id}-help`;
    help.className = "help";
    help.textContent = strings.searchHelp || "";
    const results = document.createElement("ul");
    results.className = "sixdegree-place-search__results";
    results.setAttribute("aria-live", "polite");
    box.append(label, input, help, results);
    mapElement.before(box);

    const show = (places) => {
      const items = places.map((place) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button button-small button-secondary";
        button.textContent = place.label;
        button.dataset.placeResult = place.precision;
        button.addEventListener("click", () => {
          const precision = this.precisionField();
          if (precision && precision.value !== place.precision) {
            precision.value = place.precision;
            precision.dispatchEvent(new Event("change", { bubbles: true }));
          }
          const zoom = { town: 7, region: 6, country: 4 }[place.precision] || 6;
          this.pick(window.L.latLng(place.lat, place.lng), zoom);
          results.replaceChildren();
        });
        const item = document.createElement("li");
        item.append(button);
        return item;
      });
      if (!items.length) {
        const none = document.createElement("li");
        none.textContent = strings.noResults || "";
        items.push(none);
      }
      results.replaceChildren(...items);
    };

    let timer = null;
    let latest = 0;
    input.addEventListener("keydown", (event) => {
      // Enter searches now rather than submitting the page's form.
      if (event.key === "Enter") event.preventDefault();
    });
    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      const query = input.value.trim();
      if (query.length < 2) {
        results.replaceChildren();
        return;
      }
      timer = window.setTimeout(() => {
        const request = ++latest;
        fetch(`${this.placeSearchUrl}?${new URLSearchParams({ q: query })}`, { credentials: "same-origin" })
          .then((response) => response.json())
          .then((data) => {
            if (request === latest) show(data.results || []);
          })
          .catch(() => {
            if (request === latest) results.replaceChildren();
          });
      }, 200);
    });
  };

  LeafletField.prototype.initMap = function initMap(mapEl, defaultLocation) {
    const map = window.L.map(mapEl[0], {
      // The countries basemap is coarse: zooming further would only show empty land.
      maxZoom: this.tileLayer ? 19 : 10,
    }).setView(defaultLocation, this.zoom);

    window.SixdegreeBasemap.addTo(map, {
      basemapUrl: this.basemapUrl,
      labelsUrl: this.labelsUrl,
      labelBands: this.labelBands,
      tileLayer: this.tileLayer,
      tileLayerOptions: this.tileLayerOptions,
    });

    this.map = map;
    this.marker = window.L.marker(defaultLocation, { draggable: true }).addTo(map);
    addSnappingNote(mapEl[0], this.snapNote);
    this.addPlaceSearch(mapEl[0]);

    // Clicking the map places the marker there.
    map.on("click", (event) => this.pick(event.latlng));

    const shownAs = document.createElement("p");
    shownAs.className = "help sixdegree-shown-as";
    shownAs.dataset.shownAsNote = "";
    shownAs.setAttribute("aria-live", "polite");
    mapEl[0].after(shownAs);
    this.shownAsElement = shownAs;
    // The precision or the label changes what the public sees, too.
    for (const field of [this.precisionField(), this.placeLabelField()]) {
      field?.addEventListener("change", () => this.updateShownAs());
    }
    window.setTimeout(() => this.updateShownAs(), 0);
  };
})();
