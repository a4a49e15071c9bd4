// Berth dashboard: where the map's nodes, edges and edge labels go. Geometry only, no DOM: from
// the nodes' sizes and the edges' ends, never from the figures, so nothing moves when a rate does.
'use strict';
(function (b) {
  const COL_GAP = 230;    // between columns: one edge label fits (LABEL_W)
  const LABEL_W = COL_GAP - 12;
  const LABEL_H = 14;
  const ROW_GAP = 28, PAD = 16;
  const LANE_GAP = 30;    // from the boxes a long edge passes to its lane: room for its label
  const LANE_STEP = 22;   // between two lanes on one side
  const ATTACH = 24;      // where an edge leaves or enters a box, from its top (or bottom)

  // nodes: [{key, w, h}]; ends: [{key, from, to}] (node keys); previous: the last result's
  // positions, so that a node keeps its place within its layer.
  // Returns {positions: key -> {x, y, w, h, layer}, routes: edge key -> {d, x, y, maxW}, box}:
  // a node's box, each edge's path and its label's centre and widest width, and the viewBox.
  b.layout = function (nodes, ends, previous) {
    const layers = layerOf(nodes, ends, previous);
    const byKey = new Map(nodes.map((n) => [n.key, n]));
    // Every node of a column is as wide as the widest: boxes line up on both sides, and an
    // edge leaves or enters a column at its edge.
    const colW = layers.map((l) => Math.max(...l.map((k) => byKey.get(k).w)));
    const colX = [];
    colW.forEach((w, i) => colX.push(i === 0 ? PAD : colX[i - 1] + colW[i - 1] + COL_GAP));
    const heights = layers.map((l) => l.reduce((s, k) => s + byKey.get(k).h + ROW_GAP, -ROW_GAP));
    const tallest = Math.max(0, ...heights);
    const positions = new Map();
    layers.forEach((l, li) => {
      let y = PAD + (tallest - heights[li]) / 2;
      for (const k of l) {
        const h = byKey.get(k).h;
        positions.set(k, { x: colX[li], y: Math.round(y), w: colW[li], h, layer: li });
        y += h + ROW_GAP;
      }
    });
    const cols = { left: (i) => colX[i], right: (i) => colX[i] + colW[i], layers, positions };
    const routes = new Map(), labels = [], lanes = [];
    for (const e of [...ends].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))) {
      if (routes.has(e.key)) continue;
      const r = route(e, cols, lanes);
      routes.set(e.key, r);
      labels.push(r);
    }
    placeLabels(labels, [...positions.values()]);
    return { positions, routes, box: bounds(positions, labels, lanes) };
  };

  // Layers by hand: layer = longest path from a source (callers left, callees right), after
  // dropping the edges that close a cycle (found by a depth-first walk in name order, so the same
  // graph always breaks at the same edge). Within a layer, nodes start in their last drawn order
  // (new ones by name) and a few barycentre sweeps, left to right then back, reorder them by the
  // mean position of their neighbours, which removes most crossings of a small map.
  function layerOf(nodes, ends, previous) {
    const keys = nodes.map((n) => n.key);
    const out = new Map(keys.map((k) => [k, []])), inn = new Map(keys.map((k) => [k, []]));
    const seenPair = new Set();
    for (const e of ends) {
      const pair = e.from + '>' + e.to;
      if (e.from === e.to || seenPair.has(pair)) continue;
      seenPair.add(pair);
      out.get(e.from).push(e.to);
    }
    for (const k of keys) out.get(k).sort();
    const mark = new Map(), forward = new Map(keys.map((k) => [k, []]));
    const visit = (k) => {
      mark.set(k, 1);
      for (const t of out.get(k)) {
        if (mark.get(t) === 1) continue;          // back edge: ignored for layering
        forward.get(k).push(t);
        if (!mark.get(t)) visit(t);
      }
      mark.set(k, 2);
    };
    for (const k of keys) if (!mark.get(k)) visit(k);
    for (const [k, ts] of forward) for (const t of ts) inn.get(t).push(k);
    const layer = new Map(keys.map((k) => [k, 0]));
    const indeg = new Map(keys.map((k) => [k, inn.get(k).length]));
    const queue = keys.filter((k) => indeg.get(k) === 0);
    while (queue.length) {
      const k = queue.shift();
      for (const t of forward.get(k)) {
        layer.set(t, Math.max(layer.get(t), layer.get(k) + 1));
        indeg.set(t, indeg.get(t) - 1);
        if (indeg.get(t) === 0) queue.push(t);
      }
    }
    const layers = [];
    for (const k of keys) (layers[layer.get(k)] = layers[layer.get(k)] || []).push(k);
    for (const l of layers) {
      l.sort((x, y) => {
        const px = previous.get(x), py = previous.get(y);
        if (px && py) return px.y - py.y;
        if (px || py) return px ? -1 : 1;
        return x < y ? -1 : 1;
      });
    }
    const index = new Map();
    const reindex = () => layers.forEach((l) => l.forEach((k, i) => index.set(k, i)));
    reindex();
    const bary = (nbrs, fallback) => nbrs.length ? nbrs.reduce((s, n) => s + index.get(n), 0) / nbrs.length : fallback;
    for (let pass = 0; pass < 4; pass++) {
      const down = pass % 2 === 0;
      const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
      for (const l of order) {
        const w = new Map(l.map((k, i) => [k, bary(down ? inn.get(k) : forward.get(k), i)]));
        l.sort((x, y) => w.get(x) - w.get(y) || index.get(x) - index.get(y));
        reindex();
      }
    }
    return layers;
  }

  // An edge between neighbouring columns is a curve across the gap between them, its label above
  // it (below it for a call back to the left, which leaves and enters lower on the boxes). An
  // edge that spans more columns would run behind the boxes between: it drops (or rises) within
  // the first gap to a lane below (or above) every box of the columns it passes, runs along it
  // and climbs back within the last gap; its label sits on the lane, clear of the boxes. Lanes
  // that share columns are a step apart.
  function route(e, cols, lanes) {
    const a = cols.positions.get(e.from), t = cols.positions.get(e.to);
    if (e.from === e.to) {  // a service calling itself: a loop over its box
      const x = a.x + a.w - 30, y = a.y;
      return { key: e.key, d: 'M' + x + ',' + y + ' c 0,-40 40,-40 30,12', x: x + 15, y: y - 40, maxW: LABEL_W };
    }
    const dir = t.layer > a.layer ? 1 : -1;
    const span = Math.abs(t.layer - a.layer);
    const x1 = dir > 0 ? cols.right(a.layer) : cols.left(a.layer);
    const x2 = dir > 0 ? cols.left(t.layer) - 2 : cols.right(t.layer) + 2;
    if (span === 1) {
      const y1 = dir > 0 ? a.y + Math.min(a.h / 2, ATTACH) : a.y + a.h - 12;
      const y2 = dir > 0 ? t.y + Math.min(t.h / 2, ATTACH) : t.y + t.h - 12;
      const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
      return { key: e.key, d: 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2,
        x: (x1 + x2) / 2, y: dir > 0 ? my - 9 : my + 9, maxW: LABEL_W };
    }
    const lo = Math.min(a.layer, t.layer), hi = Math.max(a.layer, t.layer);
    let top = Infinity, bottom = -Infinity;
    for (let li = lo + 1; li < hi; li++) {
      for (const k of cols.layers[li]) {
        const p = cols.positions.get(k);
        top = Math.min(top, p.y);
        bottom = Math.max(bottom, p.y + p.h);
      }
    }
    const below = (a.y + a.h / 2 + t.y + t.h / 2) / 2 >= (top + bottom) / 2;
    const xs = dir > 0 ? cols.left(a.layer + 1) : cols.right(a.layer - 1);   // the lane's ends
    const xe = dir > 0 ? cols.right(t.layer - 1) : cols.left(t.layer + 1);
    const from = Math.min(xs, xe), to = Math.max(xs, xe);
    let lane = below ? bottom + LANE_GAP : top - LANE_GAP;
    const taken = () => lanes.some((l) => l.below === below && l.from < to && from < l.to && Math.abs(l.y - lane) < LANE_STEP);
    while (taken()) lane += below ? LANE_STEP : -LANE_STEP;
    lanes.push({ below, from, to, y: lane });
    const y1 = below ? a.y + a.h - 12 : a.y + 12, y2 = below ? t.y + t.h - 12 : t.y + 12;
    const m1 = (x1 + xs) / 2, m2 = (xe + x2) / 2;
    return { key: e.key,
      d: 'M' + x1 + ',' + y1 + ' C' + m1 + ',' + y1 + ' ' + m1 + ',' + lane + ' ' + xs + ',' + lane
        + ' L' + xe + ',' + lane + ' C' + m2 + ',' + lane + ' ' + m2 + ',' + y2 + ' ' + x2 + ',' + y2,
      x: (xs + xe) / 2, y: lane - 9, maxW: Math.max(to - from - 8, LABEL_W) };
  }

  // Each label (in edge order) takes the first slot, from its own place then a line up, a line
  // down, two up..., where its widest extent overlaps no box and no label placed before it.
  function placeLabels(labels, boxes) {
    const placed = [];
    const rect = (l, dy) => ({ x: l.x - l.maxW / 2, y: l.y + dy - LABEL_H / 2, w: l.maxW, h: LABEL_H });
    const hits = (r, o, m) => r.x < o.x + o.w + m && o.x < r.x + r.w + m && r.y < o.y + o.h + m && o.y < r.y + r.h + m;
    for (const l of labels) {
      let dy = 0;
      for (const step of [0, -1, 1, -2, 2, -3, 3, -4, 4]) {
        const r = rect(l, step * (LABEL_H + 1));
        if (!boxes.some((p) => hits(r, p, 3)) && !placed.some((o) => hits(r, o, 0))) { dy = step * (LABEL_H + 1); break; }
      }
      l.y = Math.round(l.y + dy);
      l.x = Math.round(l.x);
      placed.push(rect(l, 0));
    }
  }

  // The viewBox: every box, lane and label's widest extent, with a margin (a loop over a box at
  // the top, or a lane above, may lie above y 0).
  function bounds(positions, labels, lanes) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const take = (x, y, w, h) => { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + w); y1 = Math.max(y1, y + h); };
    for (const p of positions.values()) take(p.x, p.y, p.w, p.h);
    for (const l of labels) take(l.x - l.maxW / 2, l.y - LABEL_H / 2, l.maxW, LABEL_H);
    for (const l of lanes) take(l.from, l.y - 4, l.to - l.from, 8);
    if (x0 === Infinity) return { x: 0, y: 0, w: 0, h: 0 };
    x0 = Math.min(x0, PAD); y0 = Math.min(y0, PAD);
    return { x: Math.floor(x0 - PAD), y: Math.floor(y0 - PAD), w: Math.ceil(x1 - x0 + 2 * PAD), h: Math.ceil(y1 - y0 + 2 * PAD) };
  }
})(self.berth);
