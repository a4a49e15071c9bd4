// Berth dashboard: the event stream (docs/dashboard.md, "The event stream") and the connection
// state shown in #connection.
'use strict';
(function (b) {
  let source = null;
  let handlers = null;
  let registry = null;  // the newest state's `registry`, for the live line

  // Follows /dashboard/events, calling on.state, on.stacks and on.edges with each event's data.
  b.connect = function (on) {
    handlers = on;
    open();
  };
  function open() {
    source = new EventSource('events');
    source.onopen = () => b.showConnection('live');
    source.onerror = () => {
      b.showConnection('gone');
      // The browser retries by itself after a dropped connection (`retry: 1000`), but gives up
      // for good on an HTTP error answer (a 503 when too many pages are open): then retry here.
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(open, 2000);
      }
    };
    source.addEventListener('state', (m) => onEvent(m, (d) => { registry = d.registry || {}; handlers.state(d); }));
    source.addEventListener('stacks', (m) => onEvent(m, handlers.stacks));
    source.addEventListener('edges', (m) => onEvent(m, handlers.edges));
  }
  function onEvent(m, apply) {
    let d;
    try { d = JSON.parse(m.data); } catch (e) { console.warn('berth: bad event data', e); return; }
    b.showConnection('live');
    apply(d);
  }

  // #connection's data-state (connecting, live or gone) and its line; the live line ticks.
  b.showConnection = function (s) {
    const c = b.$('connection');
    if (c.dataset.state === s && s !== 'live') return;
    c.dataset.state = s;
    document.body.classList.toggle('stale', s === 'gone');
    if (s === 'gone') b.setText(c, 'the registry is gone; reconnecting…');
    else if (s === 'connecting') b.setText(c, 'connecting to the registry…');
    else if (!registry) b.setText(c, 'live');
    else {
      const up = b.uptime(registry.startedAt);
      b.setText(c, 'live · registry pid ' + registry.pid + ' on ' + registry.address + (up ? ' · up ' + up : ''));
    }
  };
})(self.berth);
