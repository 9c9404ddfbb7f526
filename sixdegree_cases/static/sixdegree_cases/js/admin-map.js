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
    // A note translated by the server may come with the options; else the admin's catalogue.
    this.snapNote = options.snapNote || "";
    // A new milestone's map opens at a default point. Submitting that point would locate the
    // milestone where nothing happened, so the field stays empty until the editor picks one
    // (drags the marker or types a point), and the server refuses the milestone until then.
    this.unpicked = samePoint(options.defaultLocation, options.unpickedLocation);
    this.unpickedPlaceholder = options.unpickedPlaceholder || "";
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

  LeafletField.prototype.initMap = function initMap(mapEl, defaultLocation) {
    const map = window.L.map(mapEl[0], {
      // The countries basemap is coarse: zooming further would only show empty land.
      maxZoom: this.tileLayer ? 19 : 10,
    }).setView(defaultLocation, this.zoom);

    window.SixdegreeBasemap.addTo(map, {
      basemapUrl: this.basemapUrl,
      labelsUrl: this.labelsUrl,
      tileLayer: this.tileLayer,
      tileLayerOptions: this.tileLayerOptions,
    });

    this.map = map;
    this.marker = window.L.marker(defaultLocation, { draggable: true }).addTo(map);
    addSnappingNote(mapEl[0], this.snapNote);
  };
})();
