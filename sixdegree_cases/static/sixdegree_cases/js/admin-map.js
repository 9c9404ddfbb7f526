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
    // A note translated by the server may come with the options; else the admin's catalogue.
    this.snapNote = options.snapNote || "";
    Original.call(this, options);
  }
  LeafletField.prototype = Original.prototype;
  // Keeps the static helpers the telepath adapter calls (buildLocationString, …).
  Object.setPrototypeOf(LeafletField, Original);
  // leaflet-field-telepath.js and leaflet-field-controller.js look the name up when a field
  // is created, so replacing the global is enough.
  window.LeafletField = LeafletField;

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
      tileLayer: this.tileLayer,
      tileLayerOptions: this.tileLayerOptions,
    });

    this.map = map;
    this.marker = window.L.marker(defaultLocation, { draggable: true }).addTo(map);
    addSnappingNote(mapEl[0], this.snapNote);
  };
})();
