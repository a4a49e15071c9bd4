// Berth dashboard, first of its scripts (index.html loads them in order, each `defer`): the DOM
// helpers and formats the others share, under the one global `berth`. Every name, command line
// and log line is untrusted text, so it only ever reaches the page through textContent and
// setAttribute (these helpers), never through markup.
'use strict';
(function (b) {
  const SVG = 'http://www.w3.org/2000/svg';
  b.$ = (id) => document.getElementById(id);

  b.el = function (tag, attrs, text) {
    const e = document.createElement(tag);
    b.setAttrs(e, attrs);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  b.sv = function (tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    b.setAttrs(e, attrs);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  b.setAttrs = function (e, attrs) {
    if (!attrs) return;
    for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) e.removeAttribute(k);
      else e.setAttribute(k, String(v));
    }
  };
  b.setText = function (e, text) {
    const t = text === null || text === undefined ? '' : String(text);
    if (e.textContent !== t) e.textContent = t;
  };

  // Keeps one child per key across updates, so an element a reader (or a test) holds stays put,
  // and moves it only when out of order (a move would reset a log's scroll and a button's focus).
  // begin() marks where a parent's keyed children start; each keyed() goes after the previous.
  b.begin = function (parent, first) {
    parent.__cursor = null;
    parent.__first = first === undefined ? parent.firstChild : first;
  };
  b.keyed = function (parent, cache, key, create) {
    let e = cache.get(key);
    if (!e) {
      e = create();
      cache.set(key, e);
    }
    e.__seen = true;
    b.place(parent, e);
    return e;
  };
  b.place = function (parent, e) {
    const ref = parent.__cursor ? parent.__cursor.nextSibling : parent.__first;
    if (e !== ref) parent.insertBefore(e, ref);
    parent.__cursor = e;
  };
  b.sweep = function (cache) {
    for (const [k, e] of cache) {
      if (e.__seen) e.__seen = false;
      else { e.remove(); cache.delete(k); }
    }
  };

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
  b.edgeLabel = (e) => rate(e.callsPerSecond) + ' · ' + pct(e.errorPercent) + ' · p50 ' + ms(e.p50Ms) + ' · p99 ' + ms(e.p99Ms);
  function duration(s) {
    if (s < 0) s = 0;
    s = Math.floor(s);
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
    return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
  }
  // Uptime against the registry's clock: `since` is the registry's time, so the browser's own
  // clock is corrected by the skew measured from each `state.now` (b.skewMs, set by app.js).
  b.skewMs = 0;
  b.uptime = function (since) {
    if (!since) return '';
    const t = Date.parse(since);
    if (isNaN(t)) return '';
    return duration((Date.now() + b.skewMs - t) / 1000);
  };
  b.clock = function (iso) {
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleTimeString([], { hour12: false });
  };
  b.nsName = (ns) => ns === '' ? 'default' : ns;
  b.clip = (s, n) => s.length > n ? s.slice(0, n - 1) + '…' : s;
  // A long address is a Unix socket path, whose end (the file) says most.
  b.clipStart = (s, n) => s.length > n ? '…' + s.slice(s.length - n + 1) : s;
})(self.berth = {});
