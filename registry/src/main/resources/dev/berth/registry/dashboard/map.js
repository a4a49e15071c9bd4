// Berth dashboard: the service map, one SVG node per service and namespace and one edge per
// (caller, callee) of the `edges` event; layout.js says where each goes.
'use strict';
(function (b) {
  const LINE = 15, MAX_ADDR = 4, NODE_MIN = 160, NODE_MAX = 300, INSET = 10;
  const nodeCache = new Map(), edgeCache = new Map();
  let layoutKey = '';
  let placed = { positions: new Map(), routes: new Map(), box: { x: 0, y: 0, w: 0, h: 0 } };

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
      drawn.push({ e, from, to, key: from.key + '>' + to.key });
    }
    b.$('map-empty').hidden = nodes.size > 0;
    b.setText(b.$('map-note'), edges.length ? edges.length + ' edge' + (edges.length === 1 ? '' : 's') + ', last second' : '');

    // The layout depends on the nodes, their sizes and the edges' ends only, never on figures,
    // so a node does not move when a rate changes.
    const sortedKeys = [...nodes.keys()].sort();
    const sizes = sortedKeys.map((k) => ({ key: k, w: nodeWidth(svg, nodes.get(k)), h: nodeHeight(nodes.get(k)) }));
    const key = sizes.map((s) => s.key + '#' + s.w + 'x' + s.h).join('|') + '//' + drawn.map((d) => d.key).sort().join('|');
    if (key !== layoutKey) {
      layoutKey = key;
      placed = b.layout(sizes, drawn.map((d) => ({ key: d.key, from: d.from.key, to: d.to.key })), placed.positions);
    }
    const box = placed.box;
    b.setAttrs(svg, { width: box.w, height: box.h, viewBox: box.x + ' ' + box.y + ' ' + box.w + ' ' + box.h });
    if (!svg.querySelector('defs')) svg.appendChild(markers());

    const edgeLayer = svg.querySelector('g.edges') || svg.appendChild(b.sv('g', { class: 'edges' }));
    const nodeLayer = svg.querySelector('g.nodes') || svg.appendChild(b.sv('g', { class: 'nodes' }));
    b.begin(edgeLayer);
    for (const d of drawn) drawEdge(edgeLayer, d);
    b.sweep(edgeCache);
    b.begin(nodeLayer);
    for (const k of sortedKeys) drawNode(nodeLayer, nodes.get(k));
    b.sweep(nodeCache);
  };

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

  // ---- a node's text and size ----------------------------------------------------------------

  // The width a text of a class (title, sub, addr, warn: app.css) takes in the map, measured by
  // the browser in a hidden text element of the map itself, so the box fits what it shows.
  const widths = new Map();
  function measure(svg, cls, text) {
    const k = cls + '\u0000' + text;
    let w = widths.get(k);
    if (w === undefined) {
      let probe = svg.querySelector('text.probe');
      if (!probe) probe = svg.appendChild(b.sv('text', { visibility: 'hidden', 'aria-hidden': 'true', x: 0, y: -100 }));
      probe.setAttribute('class', 'probe ' + cls);
      probe.textContent = text;
      w = Math.ceil(probe.getComputedTextLength());
      if (widths.size > 2000) widths.clear();
      widths.set(k, w);
    }
    return w;
  }
  // The text cut (with …) to at most `max` wide, keeping its start, or its end when `end`.
  function fit(svg, cls, text, max, end) {
    if (measure(svg, cls, text) <= max) return text;
    let lo = 0, hi = text.length;
    const cut = (n) => end ? '…' + text.slice(text.length - n) : text.slice(0, n) + '…';
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(svg, cls, cut(mid)) <= max) lo = mid; else hi = mid - 1;
    }
    return cut(lo);
  }

  function subLine(n, live) {
    return n.peer ? 'not registered here' : b.nsName(n.namespace) + ' · ' + live + ' live instance' + (live === 1 ? '' : 's');
  }
  function lines(n) {
    const out = [{ cls: 'title', x: INSET, text: n.service }, { cls: 'sub', x: INSET, text: subLine(n, n.live) }];
    n.addrs.slice(0, MAX_ADDR).forEach((a) => out.push({ cls: 'addr', x: INSET, text: a, end: true }));
    if (n.addrs.length > MAX_ADDR) out.push({ cls: 'addr', x: INSET, text: '+' + (n.addrs.length - MAX_ADDR) + ' more' });
    for (const l of n.exposed) {
      out.push({ cls: 'warn', x: INSET, text: '⚠ listens on ' + l + ':' });
      out.push({ cls: 'warn', x: INSET + 12, text: 'reachable from the network' });
    }
    return out;
  }
  // As wide as its widest line, between NODE_MIN and NODE_MAX. The live count is sized as if it
  // had two digits, so a box does not change width (and the map its layout) when it goes 1, 0, 1.
  function nodeWidth(svg, n) {
    let w = 0;
    for (const l of lines(n)) w = Math.max(w, l.x + measure(svg, l.cls, l.text));
    if (!n.peer) w = Math.max(w, INSET + measure(svg, 'sub', subLine(n, 10)));
    return Math.min(NODE_MAX, Math.max(NODE_MIN, w + INSET));
  }
  function nodeHeight(n) {
    const count = Math.min(n.addrs.length, MAX_ADDR) + (n.addrs.length > MAX_ADDR ? 1 : 0);
    return 40 + count * LINE + n.exposed.length * 2 * LINE;
  }

  function drawNode(layer, n) {
    const p = placed.positions.get(n.key);
    if (!p) return;
    const svg = layer.ownerSVGElement;
    const g = b.keyed(layer, nodeCache, n.key, () => b.sv('g'));
    if (n.peer) {
      b.setAttrs(g, { class: 'peer', 'data-service': n.service });
    } else {
      b.setAttrs(g, { class: 'node', 'data-service': n.service, 'data-namespace': n.namespace,
        'data-instances': n.live, 'data-exposed': n.exposed.length ? 'true' : null });
    }
    g.setAttribute('transform', 'translate(' + p.x + ',' + p.y + ')');
    const sig = JSON.stringify([n, p.w, p.h]);
    if (g.__sig === sig) return;
    g.__sig = sig;
    g.replaceChildren();
    g.appendChild(b.sv('rect', { class: 'box', width: p.w, height: p.h, rx: 5 }));
    let y = 3;
    for (const l of lines(n)) {
      y += l.cls === 'title' ? 15 : LINE;
      g.appendChild(b.sv('text', { class: l.cls, x: l.x, y }, fit(svg, l.cls, l.text, p.w - l.x - INSET, l.end)));
    }
    g.appendChild(b.sv('title', null, n.service + (n.peer ? '' : ' (' + b.nsName(n.namespace) + ')')
      + (n.full.length ? '\n' + n.full.join('\n') : '')
      + n.exposed.map((l) => '\nlistens on ' + l + ': reachable from the network').join('')));
  }

  // ---- an edge ---------------------------------------------------------------------------------

  function drawEdge(layer, d) {
    const { e } = d;
    const r = placed.routes.get(d.key);
    if (!r) return;
    const g = b.keyed(layer, edgeCache, e.caller + '\u0000' + e.callee, () => b.sv('g'));
    const rate = e.callsPerSecond || 0, err = e.errorPercent || 0;
    const kind = rate === 0 ? 'idle' : err >= 5 ? 'bad' : err > 0 ? 'warn' : 'ok';
    b.setAttrs(g, { class: 'edge ' + kind, 'data-caller': e.caller, 'data-callee': e.callee,
      'data-calls-per-second': rate, 'data-error-percent': err });
    const width = rate === 0 ? 1.2 : Math.min(1.5 + Math.log10(1 + rate) * 1.4, 7);
    let path = g.querySelector('path'), text = g.querySelector('text'), title = g.querySelector('title');
    if (!path) {
      path = g.appendChild(b.sv('path'));
      text = g.appendChild(b.sv('text', { 'text-anchor': 'middle' }));
      title = g.appendChild(b.sv('title'));
    }
    b.setAttrs(path, { d: r.d, 'stroke-width': width.toFixed(2), 'marker-end': 'url(#arrow-' + kind + ')' });
    // The label's slot is as wide as layout.js left it (a column gap, or the lane): a label
    // wider than that (big figures) is squeezed into it rather than run over a box.
    const label = b.edgeLabel(e);
    if (text.textContent !== label) {
      text.textContent = label;
      text.removeAttribute('textLength');
      text.removeAttribute('lengthAdjust');
      if (text.getComputedTextLength() > r.maxW) b.setAttrs(text, { textLength: r.maxW, lengthAdjust: 'spacingAndGlyphs' });
    }
    b.setAttrs(text, { x: r.x, y: r.y + 4 });
    b.setText(title, e.caller + ' → ' + e.callee + '\n' + (e.methods || []).map((m) =>
      m.method + ': ' + b.edgeLabel(m)).join('\n'));
  }
})(self.berth);
