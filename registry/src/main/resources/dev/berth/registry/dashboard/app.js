// Berth dashboard: the wiring. Follows the registry's event stream (stream.js) and redraws the
// header, the service map (map.js), the tables and the stacks (tables.js) from the newest events.
'use strict';
(function (b) {
  let state = null;   // the newest `state` event
  let stacks = [];    // the newest `stacks` event
  let edges = [];     // the newest `edges` event's edges

  b.isOwner = () => !!(state && state.owner);

  function renderAll() {
    if (!state) return;
    renderHeader();
    b.renderMap(state, edges);
    b.renderInstances(state, stacks);
    b.renderStacks(state, stacks);
    b.renderConflicts(state);
  }

  function renderHeader() {
    const r = state.registry || {};
    b.setText(b.$('registry'), 'state dir ' + (r.stateDir || '?') + ' · http ' + (r.httpAddress || '?'));
    const o = b.$('owner');
    o.dataset.owner = state.owner ? 'true' : 'false';
    b.setText(o, state.owner ? 'owner: you can stop and restart' : 'read only: `berth dashboard` signs you in');
    o.title = state.owner ? 'this browser holds the owner cookie' : 'run `berth dashboard` and open the URL it prints';
  }

  // Uptimes tick between events.
  setInterval(() => {
    for (const td of document.querySelectorAll('td[data-since]')) b.setText(td, b.uptime(td.dataset.since));
    if (b.$('connection').dataset.state === 'live') b.showConnection('live');
  }, 1000);

  b.connect({
    state(d) {
      state = d;
      const now = Date.parse(d.now);
      if (!isNaN(now)) b.skewMs = now - Date.now();
      renderAll();
    },
    stacks(d) { stacks = Array.isArray(d) ? d : []; renderAll(); },
    edges(d) {
      edges = (d && d.edges) || [];
      if (state) b.renderMap(state, edges);
    },
  });
})(self.berth);
