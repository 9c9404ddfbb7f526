// The basemap of every Sixdegree map, public or admin.
//
// A tile request tells the tile server which place a reader or an editor is looking at, so by
// default no tiles are used at all: the world's countries are drawn from the Natural Earth
// TopoJSON the site serves itself. A deployment that runs its own tile server sets
// SIXDEGREE_TILE_URL, and then (only then) its tiles are used instead.
(() => {
  "use strict";

  const LAND = {
    stroke: true,
    color: "#b9b09c", // country borders: visible but quiet
    weight: 0.7,
    fill: true,
    fillColor: "#ece6d8",
    fillOpacity: 1,
    // Clicks must reach the map and its markers, not the countries.
    interactive: false,
    // Public domain, credited all the same.
    attribution: "Natural Earth",
  };
  const PANE = "sixdegree-basemap";
  // Countries added to the map in one task: a few milliseconds on a slow phone.
  const COUNTRIES_PER_STEP = 10;

  // Several maps on one page (one per milestone in the editor) share one download and one
  // conversion of the shapes.
  const countriesByUrl = new Map();

  function loadCountries(url) {
    if (!countriesByUrl.has(url)) {
      const promise = fetch(url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) {
            throw new Error(`Basemap ${url}: HTTP ${response.status}`);
          }
          return response.json();
        })
        .then((topology) => window.topojson.feature(topology, topology.objects.countries));
      // A failed download may be retried by the next map rather than cached forever.
      promise.catch(() => countriesByUrl.delete(url));
      countriesByUrl.set(url, promise);
    }
    return countriesByUrl.get(url);
  }

  // Lets the browser paint and answer input before the next step (scheduler.yield() where
  // there is one: the rest of the work keeps its place in line; else a new task).
  function yieldToBrowser() {
    if (window.scheduler && typeof window.scheduler.yield === "function") return window.scheduler.yield();
    return new Promise((resolve) => window.setTimeout(resolve, 0));
  }

  // The land, drawn on one canvas a few countries per task. As SVG (Leaflet's default) each of
  // some 180 countries was an element to create, style and lay out, all in one task: the
  // longest of a case page on a phone (Lighthouse's Total Blocking Time). The markers and the
  // route are drawn first; the land fills in under them while the page stays responsive.
  async function drawLand(map, countries) {
    const land = window.L.geoJSON(null, {
      ...LAND,
      pane: PANE,
      renderer: window.L.canvas({ pane: PANE }),
    }).addTo(map);
    const features = countries.features || [];
    for (let next = 0; next < features.length; next += COUNTRIES_PER_STEP) {
      await yieldToBrowser();
      for (const feature of features.slice(next, next + COUNTRIES_PER_STEP)) land.addData(feature);
    }
    // Tests and the benchmark wait for this rather than for a time.
    map.getContainer().dataset.basemap = "drawn";
    return land;
  }

  /**
   * Draw the basemap on `map`.
   *
   * options.tileLayer: the deployment's own tile URL template; empty means "draw the countries".
   * options.tileLayerOptions: Leaflet tile layer options (e.g. attribution) for that server.
   * options.basemapUrl: URL of the site's countries TopoJSON (world-atlas countries-110m).
   * options.labelsUrl: folder of the site's region and town name cells (basemap-labels.js).
   * options.labelBands: the grid of those cells, [[first zoom, cell side in degrees], …].
   *
   * Returns a promise of the layer added (null if there was nothing to draw).
   */
  function addTo(map, options = {}) {
    map.getContainer().classList.add("sixdegree-basemap");

    if (options.tileLayer) {
      const tiles = window.L.tileLayer(options.tileLayer, {
        maxZoom: 19,
        ...(options.tileLayerOptions || {}),
      });
      return Promise.resolve(tiles.addTo(map));
    }
    if (!options.basemapUrl || !window.topojson) {
      return Promise.resolve(null);
    }

    // Its own pane, below the journey line and the markers whatever order they load in.
    if (!map.getPane(PANE)) {
      map.createPane(PANE).style.zIndex = 250;
    }
    return loadCountries(options.basemapUrl)
      .then((countries) =>
        drawLand(map, countries).then((land) => {
          // Names of countries, regions and towns (basemap-labels.js), when the page loads it.
          if (window.SixdegreeBasemapLabels) {
            window.SixdegreeBasemapLabels.addTo(map, {
              countries,
              labelsUrl: options.labelsUrl,
              labelBands: options.labelBands,
            });
          }
          return land;
        }),
      )
      .catch((error) => {
        // The map still works (markers, line, sea colour) without its land shapes.
        console.error(error);
        return null;
      });
  }

  window.SixdegreeBasemap = { addTo };
})();
