// Berth dashboard: the tables (instances, port conflicts) and the running stacks with their
// restart and stop buttons, each row keyed so that it stays put across events.
'use strict';
(function (b) {
  // ---- tables -------------------------------------------------------------------------------

  const instanceRows = new Map();
  function restartsOf(stacks, inst) {
    for (const s of stacks) {
      if (s.namespace !== inst.namespace) continue;
      for (const p of s.processes || []) {
        if (p.service === inst.service && p.pid === inst.pid) return p.restarts;
      }
    }
    return '';
  }
  b.renderInstances = function (state, stacks) {
    const body = b.$('instances').tBodies[0];
    b.begin(body);
    for (const i of state.instances || []) {
      const tr = b.keyed(body, instanceRows, i.instanceId, () => {
        const r = b.el('tr');
        for (const c of ['service', '', '', '', 'num', 'num', '', 'num']) {
          r.appendChild(b.el('td', { class: c }));
        }
        return r;
      });
      tr.dataset.instanceId = i.instanceId;
      tr.dataset.state = i.state;
      const td = tr.cells;
      b.setText(td[0], i.service);
      td[0].title = i.command ? 'command: ' + i.command + (i.debug ? '\ndebug: ' + i.debug : '') : i.instanceId;
      b.setText(td[1], b.nsName(i.namespace));
      lines(td[2], (i.endpoints || []).map((e) => [e.name]));
      lines(td[3], (i.endpoints || []).map((e) => e.exposed
        ? [e.address + ' ⚠', 'exposed', 'listens on ' + e.listen + ': reachable from the network']
        : [e.address]));
      b.setText(td[4], i.pid || '');
      td[5].dataset.since = i.since || '';
      b.setText(td[5], b.uptime(i.since));
      stateBadge(td[6], i.state);
      b.setText(td[7], restartsOf(stacks, i));
    }
    b.sweep(instanceRows);
  }
  function lines(td, items) {
    const sig = JSON.stringify(items);
    if (td.__sig === sig) return;
    td.__sig = sig;
    td.replaceChildren(...items.map(([text, cls, title]) => b.el('span', { class: 'line mono ' + (cls || ''), title }, text)));
  }
  function stateBadge(td, s) {
    let badge = td.firstChild;
    if (!badge) badge = td.appendChild(b.el('span'));
    badge.className = 'state state-' + String(s).toLowerCase().replace(/[^a-z]/g, '');
    b.setText(badge, s);
  }

  const conflictRows = new Map();
  b.renderConflicts = function (state) {
    const body = b.$('conflicts').tBodies[0];
    b.begin(body);
    const list = (state.conflicts || []).slice().reverse();  // newest first
    list.forEach((c) => {
      const k = [c.time, c.namespace, c.service, c.endpoint, c.port, c.holderPid].join('\u0000');
      const tr = b.keyed(body, conflictRows, k, () => {
        const holder = [c.holderPid ? 'pid ' + c.holderPid : '', c.holderInstance ? 'instance ' + c.holderInstance : '',
          c.holderCommandLine || ''].filter(Boolean).join(' · ');
        const r = b.el('tr');
        r.appendChild(b.el('td', { class: 'mono', title: c.time }, b.clock(c.time)));
        r.appendChild(b.el('td', null, c.service + (c.namespace ? ' (' + c.namespace + ')' : '')));
        r.appendChild(b.el('td', null, c.endpoint));
        r.appendChild(b.el('td', { class: 'num' }, c.port));
        r.appendChild(b.el('td', null, c.cause));
        r.appendChild(b.el('td', { class: 'mono' }, holder || 'unknown'));
        return r;
      });
      tr.dataset.port = c.port;
    });
    b.sweep(conflictRows);
    b.$('conflicts-empty').hidden = list.length > 0;
  }

  // ---- stacks -------------------------------------------------------------------------------

  const stackEls = new Map(), procRows = new Map();
  b.renderStacks = function (state, stacks) {
    const section = b.$('stacks');
    b.$('stacks-empty').hidden = stacks.length > 0;
    const owner = !!(state && state.owner);
    b.begin(section, section.querySelector('.stack'));
    for (const s of stacks) {
      const box = b.keyed(section, stackEls, s.namespace, () => {
        const d = b.el('div', { class: 'stack' });
        d.appendChild(b.el('h3'));
        const t = b.el('table');
        const head = b.el('tr');
        for (const h of ['service', '#', 'state', 'pid', 'restarts', 'uptime', 'ports', 'last exit', '']) head.appendChild(b.el('th', null, h));
        t.appendChild(b.el('thead')).appendChild(head);
        t.appendChild(b.el('tbody'));
        d.appendChild(t);
        return d;
      });
      box.dataset.namespace = s.namespace;
      const h3 = box.firstChild;
      if (!h3.firstChild) { h3.appendChild(b.el('span')); h3.appendChild(b.el('span', { class: 'muted' })); }
      b.setText(h3.firstChild, s.namespace);
      b.setText(h3.lastChild, s.file + ' · supervisor pid ' + s.supervisorPid + ' · up ' + b.uptime(s.started));
      const body = box.querySelector('tbody');
      b.begin(body);
      for (const p of s.processes || []) {
        const k = s.namespace + '\u0000' + p.service + '\u0000' + p.instance;
        const tr = b.keyed(body, procRows, k, () => processRow(s.namespace, p));
        fillProcess(tr, p, owner);
        // The log row follows its process row; it exists only when the stream carries logs.
        if (Array.isArray(p.log)) {
          let lr = tr.__logRow;
          if (!lr) {
            lr = b.el('tr', { class: 'logrow' });
            const td = lr.appendChild(b.el('td', { colspan: 9 }));
            td.appendChild(b.el('pre', { class: 'log', 'data-service': p.service, 'data-instance': p.instance }));
            tr.__logRow = lr;
          }
          b.place(body, lr);
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
    b.sweep(procRows);
    b.sweep(stackEls);
  }

  function processRow(namespace, p) {
    const tr = b.el('tr');
    for (const c of ['', 'num', '', 'num', 'num', 'num', 'mono', '', 'actions']) tr.appendChild(b.el('td', { class: c }));
    const actions = tr.cells[8];
    for (const a of ['restart', 'stop']) {
      const button = b.el('button', { type: 'button', 'data-action': a, 'data-service': p.service, 'data-namespace': namespace }, a === 'restart' ? 'Restart' : 'Stop');
      button.addEventListener('click', () => act(button, a, namespace, p.service));
      actions.appendChild(button);
    }
    actions.appendChild(b.el('span', { class: 'action-error', 'data-service': p.service, role: 'alert' }));
    return tr;
  }

  function fillProcess(tr, p, owner) {
    tr.dataset.service = p.service;
    tr.dataset.instance = p.instance;
    tr.dataset.state = p.state;
    tr.dataset.restarts = p.restarts;
    const td = tr.cells;
    b.setText(td[0], p.service);
    b.setText(td[1], p.instance);
    stateBadge(td[2], p.state);
    td[2].title = p.detail || '';
    b.setText(td[3], p.pid || '');
    b.setText(td[4], p.restarts);
    td[5].dataset.since = p.since || '';
    b.setText(td[5], b.uptime(p.since));
    b.setText(td[6], Object.entries(p.ports || {}).map(([n, v]) => n + ' ' + v).join(', '));
    // lastExit is -1 until a run has ended (stack.json's rule), and for a death by signal
    const exit = p.lastSignal ? 'signal ' + p.lastSignal : p.lastExit >= 0 && (p.lastExit || p.restarts) ? 'exit ' + p.lastExit : '';
    b.setText(td[7], [exit, p.detail].filter(Boolean).join(' · '));
    for (const button of td[8].querySelectorAll('button')) {
      if (!button.__busy) button.disabled = !owner;
      button.title = owner ? '' : 'read only: `berth dashboard` signs you in';
    }
  }

  async function act(button, action, namespace, service) {
    const note = button.parentNode.querySelector('.action-error');
    b.setText(note, '');
    note.className = 'action-error';
    button.__busy = true;
    button.disabled = true;
    try {
      const q = 'namespace=' + encodeURIComponent(namespace) + '&service=' + encodeURIComponent(service);
      const res = await fetch('actions/' + action + '?' + q, { method: 'POST', credentials: 'same-origin' });
      if (res.ok) {
        note.className = 'action-ok';
        b.setText(note, action === 'restart' ? 'restarting…' : 'stopping…');
        setTimeout(() => { if (note.className === 'action-ok') b.setText(note, ''); }, 3000);
      } else {
        const text = (await res.text()).split('\n')[0].trim();
        b.setText(note, text || res.status + ' ' + res.statusText);
      }
    } catch (e) {
      b.setText(note, 'the registry did not answer: ' + e.message);
    } finally {
      button.__busy = false;
      button.disabled = !b.isOwner();
    }
  }
})(self.berth);
