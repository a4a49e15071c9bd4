// Berth dashboard: the service map, one SVG node per service and namespace and one edge per
// (caller, callee) of the `edges` event, laid out in layers.
'use strict';
(function (b) {
  // ---- the service map ----------------------------------------------------------------------

  const NODE_W = 180, COL_GAP = 215, ROW_GAP = 28, PAD = 16, LINE = 15, MAX_ADDR = 4;
  const nodeCache = new Map(), edgeCache = new Map();
  let layoutKey = '';
  let positions = new Map();   // node key -> {x, y, h, layer}

  // Nodes of the map: one per (namespace, service) with at least one instance. The registry's
  // own `berth` instance is left out (it is in the table) unless an edge names it.
  function mapNodes(state, withRegistry) {
    const nodes = new Map();
    for (const i of state.instances || []) {
      if (i.service === 'berth' && i.namespace === '' && !withRegistry) continue;
      const key = i.namespace + '\u0000' + i.service;
      let n = nodes.get(key);
      if (!n) {
        n = { key, service: i.service, namespace: i.namespace, live: 0, addrs: [], full: [], exposed: [], peer: false };
        nodes.set(key, n);
      }
      if (i.state === 'live') n.live++;
      for (const ep of i.endpoints || []) {
        n.addrs.push(b.clip(ep.name, 8) + ' ' + b.clipStart(ep.address, 24));
        n.full.push(ep.name + ' ' + ep.address);
        if (ep.exposed) n.exposed.push(ep.listen);
      }
    }
    return nodes;
  }

  // Edges name services, not namespaces, and their figures are summed over every namespace. A
  // caller in namespace N reaches a callee in N, else in the default namespace (the registry's
  // lookup rule), so each caller node gives at most one candidate callee node. Only when exactly
  // one (caller node, callee node) pair results is the edge drawn between real nodes; with two or
  // more it would be a guess (and drawing it twice would double its rate), so it goes between
  // dashed "name only" nodes instead. A name with no node (a caller that only calls and never
  // registers, or a callee whose instances are all gone) also gets a dashed node.
  function resolveEdge(e, nodes) {
    const byName = (name) => [...nodes.values()].filter((n) => n.service === name);
    const callers = byName(e.caller), callees = byName(e.callee);
    const pairs = [];
    if (callers.length === 0) {
      if (callees.length === 1) pairs.push([null, callees[0]]);
    } else {
      for (const c of callers) {
        const t = callees.find((n) => n.namespace === c.namespace) || callees.find((n) => n.namespace === '');
        if (t) pairs.push([c, t]);
      }
    }
    if (pairs.length === 1) {
      return [pairs[0][0] || peer(nodes, e.caller), pairs[0][1]];
    }
    // A lone caller whose callee is nowhere it could look it up calls something else by that name.
    if (callers.length === 1) return [callers[0], peer(nodes, e.callee)];
    return [peer(nodes, e.caller), peer(nodes, e.callee)];
  }
  function peer(nodes, name) {
    const key = '\u0001' + name;
    if (!nodes.has(key)) {
      nodes.set(key, { key, service: name, namespace: null, live: 0, addrs: [], full: [], exposed: [], peer: true });
    }
    return nodes.get(key);
  }

  b.renderMap = function (state, edges) {
    const svg = b.$('map');
    const nodes = mapNodes(state, edges.some((e) => e.caller === 'berth' || e.callee === 'berth'));
    const drawn = [];
    for (const e of edges) {
      const [from, to] = resolveEdge(e, nodes);
      drawn.push({ e, from, to });
    }
    b.$('map-empty').hidden = nodes.size > 0;
    b.setText(b.$('map-note'), edges.length ? edges.length + ' edge' + (edges.length === 1 ? '' : 's') + ', last second' : '');

    // The layout depends on the nodes, their heights and the edges' ends only, never on figures,
    // so a node does not move when a rate changes.
    const sortedKeys = [...nodes.keys()].sort();
    const key = sortedKeys.map((k) => k + '#' + nodeHeight(nodes.get(k))).join('|') + '//'
        + drawn.map((d) => d.from.key + '>' + d.to.key).sort().join('|');
    if (key !== layoutKey) {
      layoutKey = key;
      positions = layout(sortedKeys.map((k) => nodes.get(k)), drawn);
    }
    let width = 0, height = 0;
    for (const p of positions.values()) {
      width = Math.max(width, p.x + NODE_W + PAD);
      height = Math.max(height, p.y + p.h + PAD);
    }
    b.setAttrs(svg, { width, height, viewBox: '0 0 ' + width + ' ' + height });
    if (!svg.querySelector('defs')) svg.appendChild(markers());

    const edgeLayer = svg.querySelector('g.edges') || svg.appendChild(b.sv('g', { class: 'edges' }));
    const nodeLayer = svg.querySelector('g.nodes') || svg.appendChild(b.sv('g', { class: 'nodes' }));
    b.begin(edgeLayer);
    const labels = [];
    for (const d of drawn) {
      const label = drawEdge(edgeLayer, d);
      if (label) labels.push(label);
    }
    b.sweep(edgeCache);
    spreadLabels(labels);
    b.begin(nodeLayer);
    for (const k of sortedKeys) drawNode(nodeLayer, nodes.get(k));
    b.sweep(nodeCache);
  }

  function markers() {
    const defs = b.sv('defs');
    for (const c of ['ok', 'idle', 'warn', 'bad']) {
      const m = b.sv('marker', { id: 'arrow-' + c, viewBox: '0 0 10 10', refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto' });
      m.appendChild(b.sv('path', { d: 'M0,0 L10,5 L0,10 z' }));
      defs.appendChild(m);
    }
    return defs;
  }

  function nodeHeight(n) {
    const lines = Math.min(n.addrs.length, MAX_ADDR) + (n.addrs.length > MAX_ADDR ? 1 : 0);
    return 40 + lines * LINE + n.exposed.length * 2 * LINE;
  }

  function drawNode(layer, n) {
    const p = positions.get(n.key);
    if (!p) return;
    const g = b.keyed(layer, nodeCache, n.key, () => b.sv('g'));
    if (n.peer) {
      b.setAttrs(g, { class: 'peer', 'data-service': n.service });
    } else {
      b.setAttrs(g, { class: 'node', 'data-service': n.service, 'data-namespace': n.namespace,
        'data-instances': n.live, 'data-exposed': n.exposed.length ? 'true' : null });
    }
    g.setAttribute('transform', 'translate(' + p.x + ',' + p.y + ')');
    const sig = JSON.stringify([n, p.h]);
    if (g.__sig === sig) return;
    g.__sig = sig;
    g.replaceChildren();
    g.appendChild(b.sv('rect', { class: 'box', width: NODE_W, height: p.h, rx: 5 }));
    g.appendChild(b.sv('text', { class: 'title', x: 10, y: 18 }, b.clip(n.service, 22)));
    let sub;
    if (n.peer) sub = 'not registered here';
    else sub = b.nsName(n.namespace) + ' · ' + n.live + ' live instance' + (n.live === 1 ? '' : 's');
    g.appendChild(b.sv('text', { class: 'sub', x: 10, y: 33 }, sub));
    let y = 33;
    n.addrs.slice(0, MAX_ADDR).forEach((a) => g.appendChild(b.sv('text', { class: 'addr', x: 10, y: (y += LINE) }, a)));
    if (n.addrs.length > MAX_ADDR) {
      g.appendChild(b.sv('text', { class: 'addr', x: 10, y: (y += LINE) }, '+' + (n.addrs.length - MAX_ADDR) + ' more'));
    }
    for (const l of n.exposed) {
      g.appendChild(b.sv('text', { class: 'warn', x: 10, y: (y += LINE) }, '⚠ listens on ' + l + ':'));
      g.appendChild(b.sv('text', { class: 'warn', x: 22, y: (y += LINE) }, 'reachable from the network'));
    }
    g.appendChild(b.sv('title', null, n.service + (n.peer ? '' : ' (' + b.nsName(n.namespace) + ')')
      + (n.full.length ? '\n' + n.full.join('\n') : '')
      + n.exposed.map((l) => '\nlistens on ' + l + ': reachable from the network').join('')));
  }

  function drawEdge(layer, d) {
    const { e, from, to } = d;
    const a = positions.get(from.key), t = positions.get(to.key);
    if (!a || !b) return;
    const g = b.keyed(layer, edgeCache, e.caller + '\u0000' + e.callee, () => b.sv('g'));
    const r = e.callsPerSecond || 0, err = e.errorPercent || 0;
    const kind = r === 0 ? 'idle' : err >= 5 ? 'bad' : err > 0 ? 'warn' : 'ok';
    b.setAttrs(g, { class: 'edge ' + kind, 'data-caller': e.caller, 'data-callee': e.callee,
      'data-calls-per-second': r, 'data-error-percent': err });
    let dPath, lx, ly;
    if (from === to) {  // a service calling itself: a loop over its box
      const x = a.x + NODE_W - 30, y = a.y;
      dPath = 'M' + x + ',' + y + ' c 0,-40 40,-40 30,' + 12;
      lx = x; ly = y - 30;
    } else if (t.x > a.x) {
      const x1 = a.x + NODE_W, y1 = a.y + Math.min(a.h / 2, 24), x2 = t.x - 2, y2 = t.y + Math.min(t.h / 2, 24);
      const mx = (x1 + x2) / 2;
      dPath = 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2;
      lx = mx; ly = (y1 + y2) / 2 - 5;
    } else {  // a call back to an earlier layer (a cycle): under the boxes
      const x1 = a.x + NODE_W / 2, y1 = a.y + a.h, x2 = t.x + NODE_W / 2, y2 = t.y + t.h + 2;
      const low = Math.max(y1, y2) + 40;
      dPath = 'M' + x1 + ',' + y1 + ' C' + x1 + ',' + low + ' ' + x2 + ',' + low + ' ' + x2 + ',' + y2;
      lx = (x1 + x2) / 2; ly = low - 6;
    }
    const width = r === 0 ? 1.2 : Math.min(1.5 + Math.log10(1 + r) * 1.4, 7);
    let path = g.querySelector('path'), text = g.querySelector('text'), title = g.querySelector('title');
    if (!path) {
      path = g.appendChild(b.sv('path'));
      text = g.appendChild(b.sv('text', { 'text-anchor': 'middle' }));
      title = g.appendChild(b.sv('title'));
    }
    b.setAttrs(path, { d: dPath, 'stroke-width': width.toFixed(2), 'marker-end': 'url(#arrow-' + kind + ')' });
    b.setText(text, b.edgeLabel(e));
    b.setText(title, e.caller + ' → ' + e.callee + '\n' + (e.methods || []).map((m) =>
      m.method + ': ' + b.edgeLabel(m)).join('\n'));
    return { text, x: Math.round(lx), y: ly };
  }

  // Labels of edges that fan out of one column sit at the same x and would overprint each other:
  // per x, keep each at least a line below the one above (they stay beside their curves).
  function spreadLabels(labels) {
    const byX = new Map();
    for (const l of labels) (byX.get(l.x) || byX.set(l.x, []).get(l.x)).push(l);
    for (const group of byX.values()) {
      group.sort((a, b) => a.y - b.y);
      for (let i = 1; i < group.length; i++) group[i].y = Math.max(group[i].y, group[i - 1].y + 14);
    }
    for (const l of labels) b.setAttrs(l.text, { x: l.x, y: Math.round(l.y) });
  }

  // Layered layout, by hand: layer = longest path from a source (callers left, callees right),
  // after dropping the edges that close a cycle (found by a depth-first walk in name order, so
  // the same graph always breaks at the same edge). Within a layer, nodes start in their last
  // drawn order (new ones by name) and a few barycentre sweeps, left to right then back, reorder
  // them by the mean position of their neighbours, which removes most crossings of a small map.
  function layout(nodes, drawn) {
    const keys = nodes.map((n) => n.key);
    const out = new Map(keys.map((k) => [k, []])), inn = new Map(keys.map((k) => [k, []]));
    const seenPair = new Set();
    for (const d of drawn) {
      const pair = d.from.key + '>' + d.to.key;
      if (d.from === d.to || seenPair.has(pair)) continue;
      seenPair.add(pair);
      out.get(d.from.key).push(d.to.key);
    }
    for (const k of keys) out.get(k).sort();
    // Drop back edges (cycles) by a DFS.
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
    // Longest path from the sources, in topological order (Kahn).
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
        const px = positions.get(x), py = positions.get(y);
        if (px && py) return px.y - py.y;
        if (px || py) return px ? -1 : 1;
        return x < y ? -1 : 1;
      });
    }
    const index = new Map();
    const reindex = () => layers.forEach((l) => l.forEach((k, i) => index.set(k, i)));
    reindex();
    const bary = (k, nbrs, fallback) => nbrs.length ? nbrs.reduce((s, n) => s + index.get(n), 0) / nbrs.length : fallback;
    for (let pass = 0; pass < 4; pass++) {
      const down = pass % 2 === 0;
      const order = down ? layers.slice(1) : layers.slice(0, -1).reverse();
      for (const l of order) {
        const w = new Map(l.map((k, i) => [k, bary(k, down ? inn.get(k) : forward.get(k), i)]));
        l.sort((x, y) => w.get(x) - w.get(y) || index.get(x) - index.get(y));
        reindex();
      }
    }
    const byKey = new Map(nodes.map((n) => [n.key, n]));
    const result = new Map();
    const heights = layers.map((l) => l.reduce((s, k) => s + nodeHeight(byKey.get(k)) + ROW_GAP, -ROW_GAP));
    const tallest = Math.max(0, ...heights);
    layers.forEach((l, li) => {
      let y = PAD + (tallest - heights[li]) / 2;
      for (const k of l) {
        const h = nodeHeight(byKey.get(k));
        result.set(k, { x: PAD + li * (NODE_W + COL_GAP), y: Math.round(y), h, layer: li });
        y += h + ROW_GAP;
      }
    });
    return result;
  }
})(self.berth);
