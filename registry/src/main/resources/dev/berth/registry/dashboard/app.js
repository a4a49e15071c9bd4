// Berth dashboard: follows the registry's event stream (docs/dashboard.md) and draws the service
// map, the instances, the stacks and the conflicts. Plain DOM, no framework, no build step: every
// name, command line and log line is untrusted text, so it only ever reaches the page through
// textContent and setAttribute, never through markup.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  let state = null;   // the newest `state` event
  let stacks = [];    // the newest `stacks` event
  let edges = [];     // the newest `edges` event's edges
  let skewMs = 0;     // registry clock minus this browser's clock, from `state.now`

  // ---- small DOM helpers -------------------------------------------------------------------

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    setAttrs(e, attrs);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function sv(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    setAttrs(e, attrs);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function setAttrs(e, attrs) {
    if (!attrs) return;
    for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) e.removeAttribute(k);
      else e.setAttribute(k, String(v));
    }
  }
  function setText(e, text) {
    const t = text === null || text === undefined ? '' : String(text);
    if (e.textContent !== t) e.textContent = t;
  }
  // Keeps one child per key across updates, so an element a reader (or a test) holds stays put,
  // and moves it only when out of order (a move would reset a log's scroll and a button's focus).
  // begin() marks where a parent's keyed children start; each keyed() goes after the previous.
  function begin(parent, first) {
    parent.__cursor = null;
    parent.__first = first === undefined ? parent.firstChild : first;
  }
  function keyed(parent, cache, key, create) {
    let e = cache.get(key);
    if (!e) {
      e = create();
      cache.set(key, e);
    }
    e.__seen = true;
    place(parent, e);
    return e;
  }
  function place(parent, e) {
    const ref = parent.__cursor ? parent.__cursor.nextSibling : parent.__first;
    if (e !== ref) parent.insertBefore(e, ref);
    parent.__cursor = e;
  }
  function sweep(cache) {
    for (const [k, e] of cache) {
      if (e.__seen) e.__seen = false;
      else { e.remove(); cache.delete(k); }
    }
  }

  // ---- formats ------------------------------------------------------------------------------

  function ms(v) {
    if (v === null || v === undefined) return '–';
    if (v < 1) return v.toFixed(2) + ' ms';
    if (v < 10) return v.toFixed(1) + ' ms';
    return Math.round(v) + ' ms';
  }
  function rate(v) {
    if (!v) return '0/s';
    return (v >= 1000 ? Math.round(v) : v < 0.1 ? v.toFixed(2) : v.toFixed(1).replace(/\.0$/, '')) + '/s';
  }
  function pct(v) {
    if (!v) return '0%';
    return (v >= 10 ? Math.round(v) : v < 0.1 ? v.toFixed(2) : v.toFixed(1).replace(/\.0$/, '')) + '%';
  }
  function edgeLabel(e) {
    return rate(e.callsPerSecond) + ' · ' + pct(e.errorPercent) + ' · p50 ' + ms(e.p50Ms) + ' · p99 ' + ms(e.p99Ms);
  }
  function duration(s) {
    if (s < 0) s = 0;
    s = Math.floor(s);
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
    return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
  }
  // Uptime against the registry's clock: `since` is the registry's time, so the browser's own
  // clock is corrected by the skew measured from each `state.now`.
  function uptime(since) {
    if (!since) return '';
    const t = Date.parse(since);
    if (isNaN(t)) return '';
    return duration((Date.now() + skewMs - t) / 1000);
  }
  function clock(iso) {
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleTimeString([], { hour12: false });
  }
  const nsName = (ns) => ns === '' ? 'default' : ns;

  // ---- the stream ---------------------------------------------------------------------------

  let source = null;
  function connect() {
    source = new EventSource('events');
    source.onopen = () => setConnection('live');
    source.onerror = () => {
      setConnection('gone');
      // The browser retries by itself after a dropped connection (`retry: 1000`), but gives up
      // for good on an HTTP error answer (a 503 when too many pages are open): then retry here.
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(connect, 2000);
      }
    };
    source.addEventListener('state', (m) => onEvent(m, (d) => {
      state = d;
      const now = Date.parse(d.now);
      if (!isNaN(now)) skewMs = now - Date.now();
      renderAll();
    }));
    source.addEventListener('stacks', (m) => onEvent(m, (d) => { stacks = Array.isArray(d) ? d : []; renderAll(); }));
    source.addEventListener('edges', (m) => onEvent(m, (d) => { edges = (d && d.edges) || []; renderMap(); }));
  }
  function onEvent(m, apply) {
    let d;
    try { d = JSON.parse(m.data); } catch (e) { console.warn('berth: bad event data', e); return; }
    setConnection('live');
    apply(d);
  }
  function setConnection(s) {
    const c = $('connection');
    if (c.dataset.state === s && s !== 'live') return;
    c.dataset.state = s;
    document.body.classList.toggle('stale', s === 'gone');
    if (s === 'gone') setText(c, 'the registry is gone; reconnecting…');
    else if (s === 'connecting') setText(c, 'connecting to the registry…');
    else if (!state) setText(c, 'live');
    else {
      const r = state.registry || {}, up = uptime(r.startedAt);
      setText(c, 'live · registry pid ' + r.pid + ' on ' + r.address + (up ? ' · up ' + up : ''));
    }
  }

  function renderAll() {
    if (!state) return;
    renderHeader();
    renderMap();
    renderInstances();
    renderStacks();
    renderConflicts();
  }

  function renderHeader() {
    const r = state.registry || {};
    setText($('registry'), 'state dir ' + (r.stateDir || '?') + ' · http ' + (r.httpAddress || '?'));
    const o = $('owner');
    o.dataset.owner = state.owner ? 'true' : 'false';
    setText(o, state.owner ? 'owner: you can stop and restart' : 'read only: `berth dashboard` signs you in');
    o.title = state.owner ? 'this browser holds the owner cookie' : 'run `berth dashboard` and open the URL it prints';
  }

  // ---- the service map ----------------------------------------------------------------------

  const NODE_W = 180, COL_GAP = 215, ROW_GAP = 28, PAD = 16, LINE = 15, MAX_ADDR = 4;
  const nodeCache = new Map(), edgeCache = new Map();
  let layoutKey = '';
  let positions = new Map();   // node key -> {x, y, h, layer}

  // Nodes of the map: one per (namespace, service) with at least one instance. The registry's
  // own `berth` instance is left out (it is in the table) unless an edge names it.
  function mapNodes(withRegistry) {
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
        n.addrs.push(clip(ep.name, 8) + ' ' + clipStart(ep.address, 24));
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

  function renderMap() {
    if (!state) return;
    const svg = $('map');
    const nodes = mapNodes(edges.some((e) => e.caller === 'berth' || e.callee === 'berth'));
    const drawn = [];
    for (const e of edges) {
      const [from, to] = resolveEdge(e, nodes);
      drawn.push({ e, from, to });
    }
    $('map-empty').hidden = nodes.size > 0;
    setText($('map-note'), edges.length ? edges.length + ' edge' + (edges.length === 1 ? '' : 's') + ', last second' : '');

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
    setAttrs(svg, { width, height, viewBox: '0 0 ' + width + ' ' + height });
    if (!svg.querySelector('defs')) svg.appendChild(markers());

    const edgeLayer = svg.querySelector('g.edges') || svg.appendChild(sv('g', { class: 'edges' }));
    const nodeLayer = svg.querySelector('g.nodes') || svg.appendChild(sv('g', { class: 'nodes' }));
    begin(edgeLayer);
    const labels = [];
    for (const d of drawn) {
      const label = drawEdge(edgeLayer, d);
      if (label) labels.push(label);
    }
    sweep(edgeCache);
    spreadLabels(labels);
    begin(nodeLayer);
    for (const k of sortedKeys) drawNode(nodeLayer, nodes.get(k));
    sweep(nodeCache);
  }

  function markers() {
    const defs = sv('defs');
    for (const c of ['ok', 'idle', 'warn', 'bad']) {
      const m = sv('marker', { id: 'arrow-' + c, viewBox: '0 0 10 10', refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto' });
      m.appendChild(sv('path', { d: 'M0,0 L10,5 L0,10 z' }));
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
    const g = keyed(layer, nodeCache, n.key, () => sv('g'));
    if (n.peer) {
      setAttrs(g, { class: 'peer', 'data-service': n.service });
    } else {
      setAttrs(g, { class: 'node', 'data-service': n.service, 'data-namespace': n.namespace,
        'data-instances': n.live, 'data-exposed': n.exposed.length ? 'true' : null });
    }
    g.setAttribute('transform', 'translate(' + p.x + ',' + p.y + ')');
    const sig = JSON.stringify([n, p.h]);
    if (g.__sig === sig) return;
    g.__sig = sig;
    g.replaceChildren();
    g.appendChild(sv('rect', { class: 'box', width: NODE_W, height: p.h, rx: 5 }));
    g.appendChild(sv('text', { class: 'title', x: 10, y: 18 }, clip(n.service, 22)));
    let sub;
    if (n.peer) sub = 'not registered here';
    else sub = nsName(n.namespace) + ' · ' + n.live + ' live instance' + (n.live === 1 ? '' : 's');
    g.appendChild(sv('text', { class: 'sub', x: 10, y: 33 }, sub));
    let y = 33;
    n.addrs.slice(0, MAX_ADDR).forEach((a) => g.appendChild(sv('text', { class: 'addr', x: 10, y: (y += LINE) }, a)));
    if (n.addrs.length > MAX_ADDR) {
      g.appendChild(sv('text', { class: 'addr', x: 10, y: (y += LINE) }, '+' + (n.addrs.length - MAX_ADDR) + ' more'));
    }
    for (const l of n.exposed) {
      g.appendChild(sv('text', { class: 'warn', x: 10, y: (y += LINE) }, '⚠ listens on ' + l + ':'));
      g.appendChild(sv('text', { class: 'warn', x: 22, y: (y += LINE) }, 'reachable from the network'));
    }
    g.appendChild(sv('title', null, n.service + (n.peer ? '' : ' (' + nsName(n.namespace) + ')')
      + (n.full.length ? '\n' + n.full.join('\n') : '')
      + n.exposed.map((l) => '\nlistens on ' + l + ': reachable from the network').join('')));
  }
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }
  // A long address is a Unix socket path, whose end (the file) says most.
  function clipStart(s, n) { return s.length > n ? '…' + s.slice(s.length - n + 1) : s; }

  function drawEdge(layer, d) {
    const { e, from, to } = d;
    const a = positions.get(from.key), b = positions.get(to.key);
    if (!a || !b) return;
    const g = keyed(layer, edgeCache, e.caller + '\u0000' + e.callee, () => sv('g'));
    const r = e.callsPerSecond || 0, err = e.errorPercent || 0;
    const kind = r === 0 ? 'idle' : err >= 5 ? 'bad' : err > 0 ? 'warn' : 'ok';
    setAttrs(g, { class: 'edge ' + kind, 'data-caller': e.caller, 'data-callee': e.callee,
      'data-calls-per-second': r, 'data-error-percent': err });
    let dPath, lx, ly;
    if (from === to) {  // a service calling itself: a loop over its box
      const x = a.x + NODE_W - 30, y = a.y;
      dPath = 'M' + x + ',' + y + ' c 0,-40 40,-40 30,' + 12;
      lx = x; ly = y - 30;
    } else if (b.x > a.x) {
      const x1 = a.x + NODE_W, y1 = a.y + Math.min(a.h / 2, 24), x2 = b.x - 2, y2 = b.y + Math.min(b.h / 2, 24);
      const mx = (x1 + x2) / 2;
      dPath = 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2;
      lx = mx; ly = (y1 + y2) / 2 - 5;
    } else {  // a call back to an earlier layer (a cycle): under the boxes
      const x1 = a.x + NODE_W / 2, y1 = a.y + a.h, x2 = b.x + NODE_W / 2, y2 = b.y + b.h + 2;
      const low = Math.max(y1, y2) + 40;
      dPath = 'M' + x1 + ',' + y1 + ' C' + x1 + ',' + low + ' ' + x2 + ',' + low + ' ' + x2 + ',' + y2;
      lx = (x1 + x2) / 2; ly = low - 6;
    }
    const width = r === 0 ? 1.2 : Math.min(1.5 + Math.log10(1 + r) * 1.4, 7);
    let path = g.querySelector('path'), text = g.querySelector('text'), title = g.querySelector('title');
    if (!path) {
      path = g.appendChild(sv('path'));
      text = g.appendChild(sv('text', { 'text-anchor': 'middle' }));
      title = g.appendChild(sv('title'));
    }
    setAttrs(path, { d: dPath, 'stroke-width': width.toFixed(2), 'marker-end': 'url(#arrow-' + kind + ')' });
    setText(text, edgeLabel(e));
    setText(title, e.caller + ' → ' + e.callee + '\n' + (e.methods || []).map((m) =>
      m.method + ': ' + edgeLabel(m)).join('\n'));
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
    for (const l of labels) setAttrs(l.text, { x: l.x, y: Math.round(l.y) });
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
        const b = new Map(l.map((k, i) => [k, bary(k, down ? inn.get(k) : forward.get(k), i)]));
        l.sort((x, y) => b.get(x) - b.get(y) || index.get(x) - index.get(y));
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

  // ---- tables -------------------------------------------------------------------------------

  const instanceRows = new Map();
  function restartsOf(inst) {
    for (const s of stacks) {
      if (s.namespace !== inst.namespace) continue;
      for (const p of s.processes || []) {
        if (p.service === inst.service && p.pid === inst.pid) return p.restarts;
      }
    }
    return '';
  }
  function renderInstances() {
    const body = $('instances').tBodies[0];
    begin(body);
    for (const i of state.instances || []) {
      const tr = keyed(body, instanceRows, i.instanceId, () => {
        const r = el('tr');
        for (const c of ['service', '', '', '', 'num', 'num', '', 'num']) {
          r.appendChild(el('td', { class: c }));
        }
        return r;
      });
      tr.dataset.instanceId = i.instanceId;
      tr.dataset.state = i.state;
      const td = tr.cells;
      setText(td[0], i.service);
      td[0].title = i.command ? 'command: ' + i.command + (i.debug ? '\ndebug: ' + i.debug : '') : i.instanceId;
      setText(td[1], nsName(i.namespace));
      lines(td[2], (i.endpoints || []).map((e) => [e.name]));
      lines(td[3], (i.endpoints || []).map((e) => e.exposed
        ? [e.address + ' ⚠', 'exposed', 'listens on ' + e.listen + ': reachable from the network']
        : [e.address]));
      setText(td[4], i.pid || '');
      td[5].dataset.since = i.since || '';
      setText(td[5], uptime(i.since));
      stateBadge(td[6], i.state);
      setText(td[7], restartsOf(i));
    }
    sweep(instanceRows);
  }
  function lines(td, items) {
    const sig = JSON.stringify(items);
    if (td.__sig === sig) return;
    td.__sig = sig;
    td.replaceChildren(...items.map(([text, cls, title]) => el('span', { class: 'line mono ' + (cls || ''), title }, text)));
  }
  function stateBadge(td, s) {
    let b = td.firstChild;
    if (!b) b = td.appendChild(el('span'));
    b.className = 'state state-' + String(s).toLowerCase().replace(/[^a-z]/g, '');
    setText(b, s);
  }

  const conflictRows = new Map();
  function renderConflicts() {
    const body = $('conflicts').tBodies[0];
    begin(body);
    const list = (state.conflicts || []).slice().reverse();  // newest first
    list.forEach((c) => {
      const k = [c.time, c.namespace, c.service, c.endpoint, c.port, c.holderPid].join('\u0000');
      const tr = keyed(body, conflictRows, k, () => {
        const holder = [c.holderPid ? 'pid ' + c.holderPid : '', c.holderInstance ? 'instance ' + c.holderInstance : '',
          c.holderCommandLine || ''].filter(Boolean).join(' · ');
        const r = el('tr');
        r.appendChild(el('td', { class: 'mono', title: c.time }, clock(c.time)));
        r.appendChild(el('td', null, c.service + (c.namespace ? ' (' + c.namespace + ')' : '')));
        r.appendChild(el('td', null, c.endpoint));
        r.appendChild(el('td', { class: 'num' }, c.port));
        r.appendChild(el('td', null, c.cause));
        r.appendChild(el('td', { class: 'mono' }, holder || 'unknown'));
        return r;
      });
      tr.dataset.port = c.port;
    });
    sweep(conflictRows);
    $('conflicts-empty').hidden = list.length > 0;
  }

  // ---- stacks -------------------------------------------------------------------------------

  const stackEls = new Map(), procRows = new Map();
  function renderStacks() {
    const section = $('stacks');
    $('stacks-empty').hidden = stacks.length > 0;
    const owner = !!(state && state.owner);
    begin(section, section.querySelector('.stack'));
    for (const s of stacks) {
      const box = keyed(section, stackEls, s.namespace, () => {
        const d = el('div', { class: 'stack' });
        d.appendChild(el('h3'));
        const t = el('table');
        const head = el('tr');
        for (const h of ['service', '#', 'state', 'pid', 'restarts', 'uptime', 'ports', 'last exit', '']) head.appendChild(el('th', null, h));
        t.appendChild(el('thead')).appendChild(head);
        t.appendChild(el('tbody'));
        d.appendChild(t);
        return d;
      });
      box.dataset.namespace = s.namespace;
      const h3 = box.firstChild;
      if (!h3.firstChild) { h3.appendChild(el('span')); h3.appendChild(el('span', { class: 'muted' })); }
      setText(h3.firstChild, s.namespace);
      setText(h3.lastChild, s.file + ' · supervisor pid ' + s.supervisorPid + ' · up ' + uptime(s.started));
      const body = box.querySelector('tbody');
      begin(body);
      for (const p of s.processes || []) {
        const k = s.namespace + '\u0000' + p.service + '\u0000' + p.instance;
        const tr = keyed(body, procRows, k, () => processRow(s.namespace, p));
        fillProcess(tr, p, owner);
        // The log row follows its process row; it exists only when the stream carries logs.
        if (Array.isArray(p.log)) {
          let lr = tr.__logRow;
          if (!lr) {
            lr = el('tr', { class: 'logrow' });
            const td = lr.appendChild(el('td', { colspan: 9 }));
            td.appendChild(el('pre', { class: 'log', 'data-service': p.service, 'data-instance': p.instance }));
            tr.__logRow = lr;
          }
          place(body, lr);
          const pre = lr.querySelector('pre');
          const text = p.log.join('\n');
          if (pre.textContent !== text) {
            const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
            pre.textContent = text;
            if (atEnd) pre.scrollTop = pre.scrollHeight;
          }
        } else if (tr.__logRow) {
          tr.__logRow.remove();
          tr.__logRow = null;
        }
      }
    }
    for (const [k, tr] of procRows) if (!tr.__seen && tr.__logRow) tr.__logRow.remove();
    sweep(procRows);
    sweep(stackEls);
  }

  function processRow(namespace, p) {
    const tr = el('tr');
    for (const c of ['', 'num', '', 'num', 'num', 'num', 'mono', '', 'actions']) tr.appendChild(el('td', { class: c }));
    const actions = tr.cells[8];
    for (const a of ['restart', 'stop']) {
      const b = el('button', { type: 'button', 'data-action': a, 'data-service': p.service, 'data-namespace': namespace }, a === 'restart' ? 'Restart' : 'Stop');
      b.addEventListener('click', () => act(b, a, namespace, p.service));
      actions.appendChild(b);
    }
    actions.appendChild(el('span', { class: 'action-error', 'data-service': p.service, role: 'alert' }));
    return tr;
  }

  function fillProcess(tr, p, owner) {
    tr.dataset.service = p.service;
    tr.dataset.instance = p.instance;
    tr.dataset.state = p.state;
    tr.dataset.restarts = p.restarts;
    const td = tr.cells;
    setText(td[0], p.service);
    setText(td[1], p.instance);
    stateBadge(td[2], p.state);
    td[2].title = p.detail || '';
    setText(td[3], p.pid || '');
    setText(td[4], p.restarts);
    td[5].dataset.since = p.since || '';
    setText(td[5], uptime(p.since));
    setText(td[6], Object.entries(p.ports || {}).map(([n, v]) => n + ' ' + v).join(', '));
    // lastExit is -1 until a run has ended (stack.json's rule), and for a death by signal
    const exit = p.lastSignal ? 'signal ' + p.lastSignal : p.lastExit >= 0 && (p.lastExit || p.restarts) ? 'exit ' + p.lastExit : '';
    setText(td[7], [exit, p.detail].filter(Boolean).join(' · '));
    for (const b of td[8].querySelectorAll('button')) {
      if (!b.__busy) b.disabled = !owner;
      b.title = owner ? '' : 'read only: `berth dashboard` signs you in';
    }
  }

  async function act(button, action, namespace, service) {
    const note = button.parentNode.querySelector('.action-error');
    setText(note, '');
    note.className = 'action-error';
    button.__busy = true;
    button.disabled = true;
    try {
      const q = 'namespace=' + encodeURIComponent(namespace) + '&service=' + encodeURIComponent(service);
      const res = await fetch('actions/' + action + '?' + q, { method: 'POST', credentials: 'same-origin' });
      if (res.ok) {
        note.className = 'action-ok';
        setText(note, action === 'restart' ? 'restarting…' : 'stopping…');
        setTimeout(() => { if (note.className === 'action-ok') setText(note, ''); }, 3000);
      } else {
        const text = (await res.text()).split('\n')[0].trim();
        setText(note, text || res.status + ' ' + res.statusText);
      }
    } catch (e) {
      setText(note, 'the registry did not answer: ' + e.message);
    } finally {
      button.__busy = false;
      button.disabled = !(state && state.owner);
    }
  }

  // Uptimes tick between events.
  setInterval(() => {
    for (const td of document.querySelectorAll('td[data-since]')) setText(td, uptime(td.dataset.since));
    if ($('connection').dataset.state === 'live') setConnection('live');
  }, 1000);

  connect();
})();
