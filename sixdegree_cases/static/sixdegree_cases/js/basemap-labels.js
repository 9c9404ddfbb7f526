// Place names on the site's own basemap: countries, regions and towns.
//
// Countries are named from the Natural Earth shapes basemap.js draws; regions and towns come
// from the site's offline gazetteer, served in cells (geo/basemap.py): a band of zooms times a
// fixed grid of longitude/latitude squares, the same files for every page and every reader.
// A map fetches only the cells it can draw names from: those of the bands shown at its zoom
// that overlap its view, once the page has loaded and the map is on screen. The browser keeps
// them (ETag, max-age). Names are placed after every move, most important first (large
// countries, big cities, regions, then smaller towns), and a name that would overlap one
// already placed, or a marker of the story, is left out: a few legible names rather than a
// pile of unreadable ones.
(() => {
  "use strict";

  const PANE = "sixdegree-labels";
  // Above the route (overlay pane, 400), below the markers (600).
  const PANE_Z_INDEX = 450;
  // Never more names than a reader can take in on one screen.
  const MAX_LABELS = 120;
  // Space kept clear around each name, and around each marker of the story.
  const GAP = 5;
  const OBSTACLE_HALF_SIZE = 26;
  const KINDS = {
    country: { font: "700 12px", height: 16 },
    region: { font: "italic 400 11px", height: 14 },
    town: { font: "600 11px", height: 14 },
  };
  const TOWN_DOT_SPACE = 7;

  // Cells asked for by any map of the page (the editor has one map per milestone), by URL.
  const cellsByUrl = new Map();

  function loadCell(url) {
    if (!cellsByUrl.has(url)) {
      const promise = fetch(url, { credentials: "same-origin" }).then((response) => {
        if (!response.ok) throw new Error(`Basemap names ${url}: HTTP ${response.status}`);
        return response.json();
      });
      // A failed cell may be asked for again at the next move rather than never.
      promise.catch(() => cellsByUrl.delete(url));
      cellsByUrl.set(url, promise);
    }
    return cellsByUrl.get(url);
  }

  // The cells ("band/x/y.json") whose names `map` can draw now: of each band drawn at its zoom,
  // those overlapping its view. A name is only drawn when its point is on the map, so no cell
  // beyond the view is needed. `bands` is [[first zoom, cell side in degrees], …].
  function cellsInView(map, bands) {
    const zoom = map.getZoom();
    const bounds = map.getBounds();
    const west = Math.max(bounds.getWest(), -180);
    const east = Math.min(bounds.getEast(), 180);
    const south = Math.max(bounds.getSouth(), -90);
    const north = Math.min(bounds.getNorth(), 90);
    const cells = [];
    if (west > east || south > north) return cells;
    for (const [bandZoom, degrees] of bands) {
      if (bandZoom > zoom) continue;
      const columns = Math.round(360 / degrees);
      const rows = Math.round(180 / degrees);
      const cell = (value, origin, count) =>
        Math.min(Math.max(Math.floor((value + origin) / degrees), 0), count - 1);
      for (let x = cell(west, 180, columns); x <= cell(east, 180, columns); x += 1) {
        for (let y = cell(south, 90, rows); y <= cell(north, 90, rows); y += 1) {
          cells.push(`${bandZoom}/${x}/${y}.json`);
        }
      }
    }
    return cells;
  }

  // Area and centroid of a ring of [lng, lat] points (shoelace formula, in degrees: a label
  // position, not a measurement).
  function ringCentroid(ring) {
    let area = 0;
    let x = 0;
    let y = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      area += cross;
      x += (ring[j][0] + ring[i][0]) * cross;
      y += (ring[j][1] + ring[i][1]) * cross;
    }
    if (!area) return null;
    return { area: Math.abs(area / 2), lng: x / (3 * area), lat: y / (3 * area) };
  }

  // A country is named at the centre of its largest piece of land (Indonesia on Borneo rather
  // than in the Java Sea), earlier the larger that piece is.
  function countryLabel(feature) {
    const name = feature.properties && feature.properties.name;
    const geometry = feature.geometry;
    if (!name || !geometry) return null;
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    let best = null;
    for (const polygon of polygons || []) {
      const centroid = polygon && polygon[0] && ringCentroid(polygon[0]);
      if (centroid && (!best || centroid.area > best.area)) best = centroid;
    }
    if (!best) return null;
    const area = best.area;
    let minZoom = 5;
    if (area > 400) minZoom = 2;
    else if (area > 40) minZoom = 3;
    else if (area > 4) minZoom = 4;
    return { kind: "country", name, lat: best.lat, lng: best.lng, minZoom, priority: 1000 + area };
  }

  // Rows from the server are [name, lat, lng, minZoom] for regions and [name, lat, lng,
  // minZoom, rank] for towns, rank 0 the largest town of all cells.
  function gazetteerLabels(data) {
    const labels = [];
    (data.regions || []).forEach(([name, lat, lng, minZoom]) => {
      labels.push({ kind: "region", name, lat, lng, minZoom, priority: 40 });
    });
    (data.towns || []).forEach(([name, lat, lng, minZoom, rank]) => {
      // Cities named from far out come before regions; smaller towns after them.
      const band = minZoom <= 4 ? 100 : 0;
      const priority = band + 30 - (Number(rank) || 0) / 1e5;
      labels.push({ kind: "town", name, lat, lng, minZoom, priority });
    });
    return labels;
  }

  const LabelLayer = window.L
    ? window.L.Layer.extend({
        initialize(labels) {
          this.labels = [];
          // URLs of the name cells already added (or on their way).
          this.cells = new Set();
          this.obstacles = [];
          this.widths = new Map();
          this.addLabels(labels);
        },

        // More names (the gazetteer's arrive after the countries'), placed by priority.
        addLabels(labels) {
          this.labels = this.labels.concat(labels).sort((a, b) => b.priority - a.priority);
          if (this._map) this.draw();
        },

        onAdd(map) {
          if (!map.getPane(PANE)) {
            const pane = map.createPane(PANE);
            pane.style.zIndex = PANE_Z_INDEX;
            pane.style.pointerEvents = "none";
          }
          this.container = window.L.DomUtil.create("div", "sixdegree-labels", map.getPane(PANE));
          this.container.setAttribute("aria-hidden", "true");
          map.on("zoomstart", this.hide, this);
          map.on("moveend resize viewreset", this.draw, this);
          this.draw();
        },

        onRemove(map) {
          map.off("zoomstart", this.hide, this);
          map.off("moveend resize viewreset", this.draw, this);
          this.container.remove();
        },

        // The story's markers, as [lat, lng]: names are kept off them.
        setObstacles(latLngs) {
          this.obstacles = latLngs || [];
          if (this._map) this.draw();
        },

        hide() {
          // During a zoom animation the names would stay put while the land moves under them.
          this.container.hidden = true;
          this.container.replaceChildren();
        },

        width(label) {
          const key = `${label.kind}:${label.name}`;
          if (!this.widths.has(key)) {
            if (!this.context) {
              this.context = document.createElement("canvas").getContext("2d");
              this.fontFamily = window.getComputedStyle(this.container).fontFamily || "sans-serif";
            }
            this.context.font = `${KINDS[label.kind].font} ${this.fontFamily}`;
            const text = label.kind === "country" ? label.name.toUpperCase() : label.name;
            // Country names are spaced out a little (letter-spacing in the stylesheet).
            const spacing = label.kind === "country" ? text.length * 0.6 : 0;
            this.widths.set(key, Math.ceil(this.context.measureText(text).width + spacing) + 2);
          }
          return this.widths.get(key);
        },

        draw() {
          const map = this._map;
          if (!map || !this.container) return;
          const zoom = map.getZoom();
          const size = map.getSize();
          const placed = this.obstacles.map((latLng) => {
            const point = map.latLngToContainerPoint(latLng);
            return [
              point.x - OBSTACLE_HALF_SIZE,
              point.y - OBSTACLE_HALF_SIZE,
              point.x + OBSTACLE_HALF_SIZE,
              point.y + OBSTACLE_HALF_SIZE,
            ];
          });
          const origin = map.containerPointToLayerPoint([0, 0]);
          // Names far off screen are skipped before they are projected: the cells a reader has
          // seen may name thousands of places, and projecting each on every move was a long
          // task on a phone.
          const view = map.getBounds().pad(0.5);
          const [south, west, north, east] = [view.getSouth(), view.getWest(), view.getNorth(), view.getEast()];
          const nodes = [];
          for (const label of this.labels) {
            if (nodes.length >= MAX_LABELS) break;
            if (label.minZoom > zoom) continue;
            if (label.lat < south || label.lat > north || label.lng < west || label.lng > east) continue;
            const point = map.latLngToContainerPoint([label.lat, label.lng]);
            if (point.x < -100 || point.y < -20 || point.x > size.x + 100 || point.y > size.y + 20) continue;
            const { height } = KINDS[label.kind];
            const width = this.width(label);
            // A town's name stands to the right of its dot; other names are centred, and slid
            // back inside a narrow map by up to half their width (a phone's overview).
            let left = label.kind === "town" ? point.x - TOWN_DOT_SPACE / 2 : point.x - width / 2;
            let right = label.kind === "town" ? point.x + TOWN_DOT_SPACE + width : point.x + width / 2;
            if (label.kind !== "town") {
              const shift = Math.max(0, GAP - left) - Math.max(0, right + GAP - size.x);
              if (Math.abs(shift) <= width / 2) {
                left += shift;
                right += shift;
              }
            }
            const box = [left - GAP, point.y - height / 2 - GAP, right + GAP, point.y + height / 2 + GAP];
            if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) continue;
            if (placed.some((other) => overlaps(box, other))) continue;
            placed.push(box);
            const node = document.createElement("span");
            node.className = `sixdegree-label sixdegree-label--${label.kind}`;
            node.textContent = label.name;
            node.dataset.labelKind = label.kind;
            window.L.DomUtil.setPosition(node, origin.add([left, point.y - height / 2]));
            nodes.push(node);
          }
          this.container.replaceChildren(...nodes);
          this.container.hidden = false;
        },
      })
    : null;

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  function pageLoaded() {
    if (document.readyState === "complete") return Promise.resolve();
    return new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
  }

  // Resolves once region and town names may be fetched: the page has loaded (the names never
  // compete with it) and the map is on screen or about to be (a map below the fold or in a
  // hidden tab waits).
  function whenShown(map) {
    return pageLoaded().then(
      () =>
        new Promise((resolve) => {
          if (!("IntersectionObserver" in window)) {
            resolve();
            return;
          }
          const observer = new IntersectionObserver(
            (entries) => {
              if (!entries.some((entry) => entry.isIntersecting)) return;
              observer.disconnect();
              resolve();
            },
            { rootMargin: "200px" },
          );
          observer.observe(map.getContainer());
        }),
    );
  }

  // Fetches the cells the view needs that `layer` does not have yet, and adds their names.
  function loadCellsInView(map, layer, labelsUrl, bands) {
    const loads = cellsInView(map, bands)
      .map((cell) => labelsUrl + cell)
      .filter((url) => !layer.cells.has(url))
      .map((url) => {
        layer.cells.add(url);
        return loadCell(url)
          .then((data) => layer.addLabels(gazetteerLabels(data)))
          .catch((error) => {
            // Country names alone still help; the markers and route do not depend on names.
            layer.cells.delete(url);
            console.error(error);
          });
      });
    return Promise.all(loads);
  }

  /**
   * Add the place names to `map`: `countries` is the GeoJSON basemap.js drew, `labelsUrl` the
   * folder of the site's name cells and `labelBands` their grid ([[first zoom, degrees], …]).
   * Cells are fetched as the map shows them. Returns a promise of the layer (null when there
   * is none), resolved once the first view's names are in.
   */
  function addTo(map, { countries, labelsUrl, labelBands }) {
    if (!LabelLayer) return Promise.resolve(null);
    // Country names at once; region and town names as their cells arrive.
    const fromShapes = ((countries && countries.features) || []).map(countryLabel).filter(Boolean);
    const layer = new LabelLayer(fromShapes).addTo(map);
    map.sixdegreeLabels = layer;
    map.fire("sixdegree:labels", { layer });
    if (!labelsUrl || !labelBands || !labelBands.length) return Promise.resolve(layer);
    return whenShown(map).then(() => {
      map.on("moveend", () => loadCellsInView(map, layer, labelsUrl, labelBands));
      return loadCellsInView(map, layer, labelsUrl, labelBands).then(() => layer);
    });
  }

  window.SixdegreeBasemapLabels = { addTo, cellsInView };
})();
