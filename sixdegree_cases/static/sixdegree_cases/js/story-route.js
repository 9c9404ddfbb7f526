// The journey's places and the route between them, for story-map.js.
//
// Milestones snapped to one place share one marker ("2–4"): fanned-out markers looked like
// separate places, some of them in the sea. The route joins the places as drawn, each leg a
// gentle arc bending to its right, so a return leg (B→A) curves the other way from the
// outbound one (A→B) instead of being drawn over it; an arrow at each leg's middle shows the
// direction.
(() => {
  "use strict";

  // Arcs are computed in Web Mercator pixels at this zoom: an arc's shape then stays the same
  // at every zoom of the map.
  const REFERENCE_ZOOM = 8;
  // How far an arc bends, as a share of its leg's length.
  const BEND = 0.18;
  const ARC_STEPS = 24;

  function isLocated(milestone) {
    return typeof milestone.lat === "number" && typeof milestone.lng === "number";
  }

  /** Located milestones grouped by place, in the order the story first reaches each place. */
  function places(milestones) {
    const byKey = new Map();
    milestones.forEach((milestone, index) => {
      if (!isLocated(milestone)) return;
      const key = `${milestone.lat.toFixed(4)},${milestone.lng.toFixed(4)}`;
      if (!byKey.has(key)) byKey.set(key, { lat: milestone.lat, lng: milestone.lng, indexes: [] });
      byKey.get(key).indexes.push(index);
    });
    return [...byKey.values()];
  }

  /** "2–4", "1, 3–4": the numbers of the milestones at one place, runs joined by a dash. */
  function numbersText(numbers) {
    const runs = [];
    for (const number of numbers) {
      const run = runs[runs.length - 1];
      if (run && number === run[1] + 1) run[1] = number;
      else runs.push([number, number]);
    }
    return runs
      .map(([first, last]) => {
        if (first === last) return String(first);
        // Two in a row read better as "2, 3" than "2–3".
        return last === first + 1 ? `${first}, ${last}` : `${first}\u2013${last}`;
      })
      .join(", ");
  }

  /** The legs of the journey: [from, to] places, same-place steps left out. */
  function legs(milestones, placeOf) {
    const result = [];
    let previous = null;
    milestones.forEach((milestone, index) => {
      const place = placeOf.get(index);
      if (!place) return;
      if (previous && previous !== place) result.push([previous, place]);
      previous = place;
    });
    return result;
  }

  /** Points of an arc from `from` to `to` (places), bending to its right, and its middle. */
  function arc(map, from, to) {
    const start = map.project([from.lat, from.lng], REFERENCE_ZOOM);
    const end = map.project([to.lat, to.lng], REFERENCE_ZOOM);
    const dx = end.x - start.x;
    const dy = end.y - start.y;
    // Screen y grows downwards: (-dy, dx) is the right-hand side of the direction of travel.
    const control = window.L.point((start.x + end.x) / 2 - dy * BEND, (start.y + end.y) / 2 + dx * BEND);
    const at = (t) =>
      window.L.point(
        (1 - t) * (1 - t) * start.x + 2 * (1 - t) * t * control.x + t * t * end.x,
        (1 - t) * (1 - t) * start.y + 2 * (1 - t) * t * control.y + t * t * end.y,
      );
    const latLngs = [];
    for (let step = 0; step <= ARC_STEPS; step += 1) {
      latLngs.push(map.unproject(at(step / ARC_STEPS), REFERENCE_ZOOM));
    }
    // At its middle a symmetric arc runs parallel to its chord.
    const degrees = (Math.atan2(dy, dx) * 180) / Math.PI;
    return { latLngs, middle: map.unproject(at(0.5), REFERENCE_ZOOM), degrees };
  }

  window.SixdegreeStoryRoute = { places, numbersText, legs, arc, isLocated };
})();
