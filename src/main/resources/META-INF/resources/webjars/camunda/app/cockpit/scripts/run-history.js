// Run history for managers: a Cockpit dashboard section listing recent runs (running and
// finished) and showing one run's report: timeline, user tasks with who completed them and what
// they decided, incidents, Slack notices not delivered.
//
// Data: the orchestrator's GET /api/runs and GET /api/runs/{runId}/report, read with the Cockpit
// session (the API accepts it for these reads when the webapps' CSRF token is sent). Plain DOM,
// text nodes only, never markup from a string: nothing from a run is ever interpreted as HTML.

const PAGE_SIZE = 25;

/** The servlet context the orchestrator's API lives in: the webapps' app root without "/camunda". */
function apiBase() {
  const base = document.querySelector('base');
  const appRoot = (base && base.getAttribute('app-root')) || '/camunda';
  return appRoot.replace(/\/[^/]*\/?$/, '');
}

function csrfToken(api) {
  if (api && api.CSRFToken) {
    return api.CSRFToken;
  }
  const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}

async function getJson(api, path) {
  const response = await fetch(apiBase() + path, {
    method: 'GET',
    credentials: 'same-origin',
    headers: {Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken(api)}
  });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const why = response.status === 401 ? 'your Cockpit session has ended: reload the page and log in again'
      : (body && body.message) || response.statusText;
    throw new Error(response.status + ': ' + why);
  }
  return body;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (k === 'style') {
      e.style.cssText = v;
    } else if (k.startsWith('on')) {
      e.addEventListener(k.substring(2), v);
    } else {
      e.setAttribute(k, v);
    }
  });
  children.flat().forEach(c => e.appendChild(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return e;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function duration(ms) {
  if (ms == null) {
    return '';
  }
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function runDuration(run) {
  if (!run.start) {
    return null;
  }
  return (run.end ? Date.parse(run.end) : Date.now()) - Date.parse(run.start);
}

function value(v) {
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function table(headers, rows) {
  return el('table', {class: 'table table-striped table-condensed cam-table'},
    el('thead', {}, el('tr', {}, headers.map(h => el('th', {}, h)))),
    el('tbody', {}, rows.length ? rows : [el('tr', {}, el('td', {colspan: String(headers.length)}, 'none'))]));
}

function stateLabel(state) {
  const colour = state === 'ACTIVE' ? '#1a6fb5' : state === 'CANCELLED' ? '#b5561a' : state === 'ABORTED' ? '#b71c1c' : '#2e7d32';
  return el('span', {style: `font-weight:bold;color:${colour}`}, state);
}

function renderReport(target, report) {
  target.replaceChildren(
    el('h4', {}, `Run ${report.runId}`),
    el('p', {},
      `${report.process} on ${report.site || '?'} — `, stateLabel(report.state),
      ` — started ${time(report.start)}${report.startedBy ? ' by ' + report.startedBy : ''}`,
      report.end ? `, ended ${time(report.end)}` : '',
      ` (${duration(report.durationMillis)})`,
      report.endActivityId ? ` at ${report.endActivityId}` : ''),
    el('h5', {}, 'Slack notices not delivered'),
    el('p', {}, report.undeliveredNotices.length ? report.undeliveredNotices.join(', ') : 'none'),
    el('h5', {}, 'User tasks'),
    table(['Task', 'Process', 'Outcome', 'Completed by', 'Created', 'Ended', 'Decisions'],
      report.tasks.map(t => el('tr', {},
        el('td', {title: t.taskDefinitionKey}, t.name || t.taskDefinitionKey),
        el('td', {}, t.processDefinitionKey),
        el('td', {}, t.outcome),
        el('td', {}, t.completedBy || (t.outcome === 'open' && t.assignee ? `(claimed by ${t.assignee})` : ''),
          t.decidedInSlack ? el('div', {title: t.decidedInSlack}, el('small', {}, t.decidedInSlack)) : ''),
        el('td', {}, time(t.created)),
        el('td', {}, time(t.end)),
        el('td', {}, Object.entries(t.decisions).map(([k, v]) => el('div', {}, el('code', {}, k), ' = ', value(v))))))),
    el('h5', {}, 'Incidents'),
    table(['Activity', 'Process', 'Type', 'Message', 'Created', 'Status', 'Ended'],
      report.incidents.map(i => el('tr', {},
        el('td', {}, i.activityId),
        el('td', {}, i.processDefinitionKey),
        el('td', {}, i.type),
        el('td', {style: 'white-space:pre-wrap'}, i.message || ''),
        el('td', {}, time(i.created)),
        el('td', {}, i.status),
        el('td', {}, time(i.end))))),
    el('details', {},
      el('summary', {style: 'cursor:pointer'}, `Timeline (${report.timeline.length} steps)`),
      table(['Start', 'End', 'Duration', 'Type', 'Activity', 'Process'],
        report.timeline.map(s => el('tr', {style: s.canceled ? 'color:#b5561a' : ''},
          el('td', {}, time(s.start)),
          el('td', {}, time(s.end)),
          el('td', {}, duration(s.durationMillis)),
          el('td', {}, s.type),
          el('td', {title: s.activityId}, s.name || s.activityId, s.canceled ? ' (interrupted)' : ''),
          el('td', {}, s.processDefinitionKey))))));
}

function render(node, api) {
  const site = el('input', {type: 'text', placeholder: 'all sites', class: 'form-control', style: 'width:10em;display:inline-block'});
  const state = el('select', {class: 'form-control', style: 'width:10em;display:inline-block'},
    ['', 'ACTIVE', 'COMPLETED', 'ABORTED', 'CANCELLED'].map(s => el('option', {value: s}, s || 'all states')));
  const status = el('p', {class: 'text-muted'});
  const runs = el('div', {});
  const report = el('div', {style: 'margin-top:1em'});
  let page = 0;

  async function showReport(runId) {
    report.replaceChildren(el('p', {class: 'text-muted'}, `Loading the report of ${runId}…`));
    try {
      renderReport(report, await getJson(api, `/api/runs/${encodeURIComponent(runId)}/report`));
    } catch (e) {
      report.replaceChildren(el('p', {class: 'text-danger'}, `Report of ${runId}: ${e.message}`));
    }
  }

  async function load() {
    const query = new URLSearchParams({page: String(page), size: String(PAGE_SIZE)});
    if (site.value.trim()) {
      query.set('site', site.value.trim());
    }
    if (state.value) {
      query.set('state', state.value);
    }
    status.textContent = 'Loading runs…';
    try {
      const list = await getJson(api, '/api/runs?' + query);
      status.textContent = list.length ? `Runs ${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + list.length}, newest first`
        : 'No runs.';
      runs.replaceChildren(table(['Run', 'Site', 'Process', 'State', 'Start', 'End', 'Duration'],
        list.map(r => el('tr', {},
          el('td', {}, el('a', {href: '', onclick: e => { e.preventDefault(); showReport(r.runId); }}, r.runId)),
          el('td', {}, r.site || ''),
          el('td', {}, r.process),
          el('td', {}, stateLabel(r.state)),
          el('td', {}, time(r.start)),
          el('td', {}, time(r.end)),
          el('td', {}, duration(runDuration(r)))))),
        el('div', {},
          el('button', {class: 'btn btn-default btn-sm', type: 'button', ...(page === 0 ? {disabled: 'disabled'} : {}),
            onclick: () => { page = Math.max(0, page - 1); load(); }}, 'Newer'), ' ',
          el('button', {class: 'btn btn-default btn-sm', type: 'button', ...(list.length < PAGE_SIZE ? {disabled: 'disabled'} : {}),
            onclick: () => { page += 1; load(); }}, 'Older')));
    } catch (e) {
      status.textContent = '';
      runs.replaceChildren(el('p', {class: 'text-danger'}, `Runs: ${e.message}`));
    }
  }

  const filter = () => { page = 0; load(); };
  site.addEventListener('change', filter);
  state.addEventListener('change', filter);
  node.replaceChildren(el('section', {class: 'upgrade-run-history'},
    el('h3', {}, 'Run history'),
    el('form', {class: 'form-inline', onsubmit: e => { e.preventDefault(); filter(); }},
      'Site ', site, ' State ', state, ' ',
      el('button', {class: 'btn btn-default btn-sm', type: 'submit'}, 'Refresh')),
    status, runs, report));
  load();
}

export default {
  id: 'upgrade-run-history',
  pluginPoint: 'cockpit.dashboard',
  priority: 20,
  render: (node, {api}) => render(node, api),
  properties: {
    label: 'Run history'
  }
};
