/**
 * The web UI's script, served as /ui/app.js: plain JavaScript for the browser (no framework, nothing
 * fetched from elsewhere). Kept as a string so the package ships it inside its bundle.
 */
export const APP_JS = String.raw`// confsnap web UI: a device table and a device page, drawn from the JSON API of this server.
(() => {
  'use strict';
  const main = document.getElementById('main');
  const refreshMs = Number(document.body.dataset.refreshMs) || 5000;
  const STATES = ['idle', 'waiting', 'running', 'backoff', 'blocked', 'offline'];
  const COLUMNS = [
    { key: 'id', label: 'Device' },
    { key: 'vendor', label: 'Vendor' },
    { key: 'group', label: 'Group' },
    { key: 'state', label: 'State' },
    { key: 'lastSuccessAt', label: 'Last success' },
    { key: 'lastError', label: 'Last error' },
    { key: 'nextAttemptAt', label: 'Next attempt' },
  ];
  const list = {
    devices: [],
    sortKey: 'id',
    ascending: true,
    text: '',
    state: '',
    vendor: '',
    group: '',
  };
  let timer;
  let view = 0;

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'className') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function api(path, init) {
    const response = await fetch(
      path,
      Object.assign({ headers: { Accept: 'application/json' } }, init),
    );
    const type = response.headers.get('content-type') || '';
    const body = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) {
      const message = body && body.message ? body.message : 'HTTP ' + response.status;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function devicePath(id) {
    return '/api/devices/' + encodeURIComponent(id);
  }

  function when(iso) {
    if (!iso) return el('span', { className: 'muted' }, '—');
    const date = new Date(iso);
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    const minutes = Math.round(abs / 60);
    const hours = Math.round(abs / 3600);
    const amount =
      abs < 60
        ? abs + ' s'
        : minutes < 60
          ? minutes + ' min'
          : hours < 48
            ? hours + ' h'
            : Math.round(abs / 86400) + ' d';
    const text = abs < 2 ? 'now' : seconds < 0 ? amount + ' ago' : 'in ' + amount;
    return el('time', { datetime: iso, title: date.toLocaleString() }, text);
  }

  function stateBadge(state) {
    return el('span', { className: 'state state-' + state }, state);
  }

  function errorCell(error) {
    if (!error) return el('span', { className: 'muted' }, '—');
    return el(
      'div',
      { className: 'error' },
      el('strong', {}, error.kind || 'failed'),
      error.message ? el('span', {}, ' ' + error.message) : null,
      error.advice
        ? el(
            'div',
            { className: 'advice' },
            el('span', { className: 'advice-label' }, 'What to do: '),
            error.advice,
          )
        : null,
    );
  }

  function schedule(action) {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (document.hidden) return schedule(action);
      await action();
      schedule(action);
    }, refreshMs);
  }

  // ----- the device table -----

  function sortValue(device, key) {
    if (key === 'lastError') return device.lastError ? device.lastError.kind || 'failed' : '';
    if (key === 'state') return STATES.indexOf(device.state);
    const value = device[key];
    return value === null || value === undefined ? '' : value;
  }

  function visibleDevices() {
    const needle = list.text.trim().toLowerCase();
    const shown = list.devices.filter(
      (d) =>
        (!needle ||
          d.id.toLowerCase().includes(needle) ||
          (d.lastError && (d.lastError.message || '').toLowerCase().includes(needle))) &&
        (!list.state || d.state === list.state) &&
        (!list.vendor || d.vendor === list.vendor) &&
        (!list.group || d.group === list.group),
    );
    const direction = list.ascending ? 1 : -1;
    return shown.sort((a, b) => {
      const x = sortValue(a, list.sortKey);
      const y = sortValue(b, list.sortKey);
      // Empty values last, whichever the direction.
      if (x === '' && y !== '') return 1;
      if (y === '' && x !== '') return -1;
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return (order || a.id.localeCompare(b.id)) * direction;
    });
  }

  function optionsOf(values, all) {
    return [el('option', { value: '' }, all)].concat(
      values.map((v) => el('option', { value: v }, v)),
    );
  }

  function fillSelect(select, values, all) {
    const chosen = select.value;
    select.replaceChildren(...optionsOf(values, all));
    select.value = values.includes(chosen) ? chosen : '';
  }

  function unique(values) {
    return Array.from(
      new Set(values.filter((v) => v !== null && v !== undefined && v !== '')),
    ).sort();
  }

  function renderList() {
    const current = ++view;
    const filter = (id, label, control) =>
      el('div', { className: 'field' }, el('label', { for: id }, label), control);
    const text = el('input', {
      id: 'filter-text',
      type: 'search',
      value: list.text,
      placeholder: 'id or error text',
      oninput: () => {
        list.text = text.value;
        drawRows();
      },
    });
    const state = el(
      'select',
      {
        id: 'filter-state',
        onchange: () => {
          list.state = state.value;
          drawRows();
        },
      },
      optionsOf(STATES, 'all states'),
    );
    state.value = list.state;
    const vendor = el('select', {
      id: 'filter-vendor',
      onchange: () => {
        list.vendor = vendor.value;
        drawRows();
      },
    });
    const group = el('select', {
      id: 'filter-group',
      onchange: () => {
        list.group = group.value;
        drawRows();
      },
    });
    const headRow = el('tr');
    const body = el('tbody');
    const caption = el('caption');
    const summary = el('p', { className: 'summary', id: 'summary' });
    const updated = el('p', { className: 'muted', id: 'updated' });
    const problem = el('p', {
      className: 'problem',
      role: 'alert',
      id: 'list-problem',
      hidden: true,
    });

    function drawHead() {
      headRow.replaceChildren(
        ...COLUMNS.map((column) => {
          const active = list.sortKey === column.key;
          const button = el(
            'button',
            {
              type: 'button',
              className: 'sort',
              onclick: () => {
                list.ascending = active ? !list.ascending : true;
                list.sortKey = column.key;
                drawHead();
                drawRows();
                headRow.querySelector('[data-key="' + column.key + '"] button').focus();
              },
            },
            column.label,
            el(
              'span',
              { 'aria-hidden': 'true', className: 'arrow' },
              active ? (list.ascending ? ' ▲' : ' ▼') : '',
            ),
          );
          return el(
            'th',
            {
              scope: 'col',
              'data-key': column.key,
              'aria-sort': active ? (list.ascending ? 'ascending' : 'descending') : 'none',
            },
            button,
          );
        }),
      );
    }

    function drawRows() {
      const focused =
        document.activeElement && document.activeElement.dataset
          ? document.activeElement.dataset.deviceId
          : undefined;
      const shown = visibleDevices();
      body.replaceChildren(
        ...shown.map((d) =>
          el(
            'tr',
            { 'data-device-id': d.id },
            el(
              'th',
              { scope: 'row' },
              el(
                'a',
                { href: '#/device/' + encodeURIComponent(d.id), 'data-device-id': d.id },
                d.id,
              ),
            ),
            el('td', {}, d.vendor),
            el('td', {}, d.group || el('span', { className: 'muted' }, '—')),
            el('td', {}, stateBadge(d.state)),
            el('td', {}, when(d.lastSuccessAt)),
            el('td', {}, errorCell(d.lastError)),
            el(
              'td',
              {},
              d.state === 'blocked'
                ? el('span', {}, 'blocked: not until fixed')
                : when(d.nextAttemptAt),
            ),
          ),
        ),
      );
      if (shown.length === 0) {
        body.append(
          el(
            'tr',
            {},
            el(
              'td',
              { colspan: COLUMNS.length, className: 'muted' },
              list.devices.length ? 'No device matches the filters.' : 'No devices.',
            ),
          ),
        );
      }
      caption.textContent = 'Devices: ' + shown.length + ' shown of ' + list.devices.length;
      const counts = {};
      for (const d of list.devices) counts[d.state] = (counts[d.state] || 0) + 1;
      summary.textContent =
        STATES.filter((s) => counts[s])
          .map((s) => counts[s] + ' ' + s)
          .join(' · ') || 'No devices yet.';
      if (focused) {
        const again = body.querySelector('a[data-device-id="' + CSS.escape(focused) + '"]');
        if (again) again.focus();
      }
    }

    async function load() {
      try {
        const result = await api('/api/devices');
        if (current !== view) return;
        list.devices = result.devices;
        fillSelect(vendor, unique(list.devices.map((d) => d.vendor)), 'all vendors');
        fillSelect(group, unique(list.devices.map((d) => d.group)), 'all groups');
        list.vendor = vendor.value;
        list.group = group.value;
        problem.hidden = true;
        updated.textContent =
          'Updated ' +
          new Date().toLocaleTimeString() +
          '; refreshes every ' +
          Math.round(refreshMs / 1000) +
          ' s.';
        drawRows();
      } catch (error) {
        if (current !== view) return;
        problem.hidden = false;
        problem.textContent = 'Could not load the devices: ' + error.message;
      }
    }

    drawHead();
    main.replaceChildren(
      el('h1', { tabindex: '-1' }, 'Devices'),
      summary,
      el(
        'form',
        {
          className: 'filters',
          role: 'search',
          'aria-label': 'Filter devices',
          onsubmit: (e) => e.preventDefault(),
        },
        filter('filter-text', 'Search', text),
        filter('filter-state', 'State', state),
        filter('filter-vendor', 'Vendor', vendor),
        filter('filter-group', 'Group', group),
      ),
      problem,
      el(
        'div',
        { className: 'table-wrap' },
        el('table', { id: 'devices' }, caption, el('thead', {}, headRow), body),
      ),
      updated,
    );
    fillSelect(vendor, [], 'all vendors');
    fillSelect(group, [], 'all groups');
    drawRows();
    return load().then(() => schedule(load));
  }

  // ----- the device page -----

  function renderDevice(id) {
    const current = ++view;
    const heading = el('h1', { tabindex: '-1' }, id);
    const details = el('dl', { className: 'details', id: 'details' });
    const problem = el('p', { className: 'problem', role: 'alert', hidden: true });
    const outcome = el('p', {
      id: 'backup-outcome',
      role: 'status',
      'aria-live': 'polite',
      className: 'outcome',
    });
    const backup = el(
      'button',
      { type: 'button', id: 'backup-now', onclick: () => backupNow() },
      'Back up now',
    );
    const versionsBody = el('tbody');
    const versionsNote = el('p', { className: 'muted', id: 'versions-note' });
    const diffButton = el(
      'button',
      { type: 'button', id: 'show-diff', onclick: () => showDiff() },
      'Show diff',
    );
    const diffOut = el('div', { id: 'diff', role: 'region', 'aria-label': 'Diff', tabindex: '-1' });
    const configTitle = el('h2', { id: 'config-title' }, 'Latest config');
    const configOut = el('pre', {
      id: 'config',
      className: 'config',
      tabindex: '0',
      'aria-labelledby': 'config-title',
    });
    let versions = [];

    function row(label, value) {
      return [el('dt', {}, label), el('dd', {}, value)];
    }

    async function loadDevice() {
      try {
        const d = await api(devicePath(id));
        if (current !== view) return;
        problem.hidden = true;
        details.replaceChildren(
          ...row('State', stateBadge(d.state)),
          ...row('Vendor', d.vendor),
          ...row('Group', d.group || '—'),
          ...row('Transport', d.transport),
          ...row('Last attempt', when(d.lastAttemptAt)),
          ...row('Last success', when(d.lastSuccessAt)),
          ...row(
            'Next attempt',
            d.state === 'blocked' ? 'none while blocked' : when(d.nextAttemptAt),
          ),
          ...row('Failures in a row', String(d.consecutiveFailures)),
          ...row('Last error', errorCell(d.lastError)),
          ...row('sha256', d.lastSha256 ? el('code', {}, d.lastSha256) : '—'),
        );
      } catch (error) {
        if (current !== view) return;
        problem.hidden = false;
        problem.textContent =
          error.status === 404 ? error.message : 'Could not load the device: ' + error.message;
      }
    }

    async function loadVersions() {
      try {
        const result = await api(devicePath(id) + '/versions');
        if (current !== view) return;
        versions = result.versions;
        versionsBody.replaceChildren(
          ...versions.map((v, index) =>
            el(
              'tr',
              {},
              el(
                'td',
                {},
                el('input', {
                  type: 'radio',
                  name: 'from',
                  value: v.rev,
                  'aria-label': 'compare from ' + v.rev.slice(0, 12),
                  checked: index === 1,
                }),
              ),
              el(
                'td',
                {},
                el('input', {
                  type: 'radio',
                  name: 'to',
                  value: v.rev,
                  'aria-label': 'compare to ' + v.rev.slice(0, 12),
                  checked: index === 0,
                }),
              ),
              el('th', { scope: 'row' }, el('code', {}, v.rev.slice(0, 12))),
              el('td', {}, when(v.collectedAt)),
              el('td', {}, v.sha256 ? el('code', {}, v.sha256.slice(0, 12)) : '—'),
              el(
                'td',
                {},
                el(
                  'button',
                  { type: 'button', className: 'link', onclick: () => showVersion(v.rev) },
                  'View',
                ),
              ),
            ),
          ),
        );
        versionsNote.textContent =
          versions.length === 0
            ? 'No committed version yet.'
            : versions.length === 1
              ? 'One version so far: nothing to compare yet.'
              : versions.length + ' versions. Pick two to compare.';
        diffButton.disabled = versions.length < 2;
      } catch (error) {
        if (current !== view) return;
        versions = [];
        versionsBody.replaceChildren();
        versionsNote.textContent = error.message;
        diffButton.disabled = true;
      }
    }

    async function showLatest() {
      configTitle.textContent = 'Latest config';
      try {
        configOut.textContent = await api(devicePath(id) + '/config');
      } catch (error) {
        configOut.textContent = error.message;
      }
    }

    async function showVersion(rev) {
      configTitle.textContent = 'Config at ' + rev.slice(0, 12);
      try {
        configOut.textContent = await api(devicePath(id) + '/versions/' + rev);
      } catch (error) {
        configOut.textContent = error.message;
      }
      configOut.focus();
    }

    async function showDiff() {
      const from = main.querySelector('input[name=from]:checked');
      const to = main.querySelector('input[name=to]:checked');
      if (!from || !to) {
        diffOut.replaceChildren(
          el(
            'p',
            { className: 'problem' },
            'Pick a version to compare from and one to compare to.',
          ),
        );
        return;
      }
      try {
        const diff = await api(devicePath(id) + '/diff?from=' + from.value + '&to=' + to.value);
        const title = el(
          'h3',
          {},
          'Changes from ' + diff.from.slice(0, 12) + ' to ' + diff.to.slice(0, 12),
        );
        if (diff.identical) {
          diffOut.replaceChildren(title, el('p', {}, 'The two versions are the same.'));
        } else {
          const lines = diff.unified.replace(/\n$/, '').split('\n');
          const pre = el('pre', { className: 'diff', tabindex: '0', 'aria-label': 'unified diff' });
          let added = 0;
          let removed = 0;
          for (const line of lines) {
            let kind = 'context';
            if (/^(diff |index |--- |\+\+\+ )/.test(line)) kind = 'meta';
            else if (line.startsWith('@@')) kind = 'hunk';
            else if (line.startsWith('+')) ((kind = 'added'), added++);
            else if (line.startsWith('-')) ((kind = 'removed'), removed++);
            pre.append(el('span', { className: 'line ' + kind }, line));
          }
          diffOut.replaceChildren(
            title,
            el('p', { className: 'summary' }, added + ' line(s) added, ' + removed + ' removed.'),
            pre,
          );
        }
      } catch (error) {
        diffOut.replaceChildren(el('p', { className: 'problem' }, error.message));
      }
      diffOut.focus();
    }

    async function backupNow() {
      backup.disabled = true;
      outcome.className = 'outcome';
      outcome.textContent = 'Backing up ' + id + '…';
      try {
        const result = await api(devicePath(id) + '/backup', { method: 'POST' });
        const o = result.outcome;
        if (o.status === 'success') {
          outcome.className = 'outcome ok';
          outcome.textContent =
            'Backup succeeded: ' +
            (o.changed ? 'the config changed' : 'no change') +
            ' (sha256 ' +
            o.sha256.slice(0, 12) +
            ').';
        } else {
          outcome.className = 'outcome failed';
          outcome.textContent =
            'Backup ' +
            (o.status === 'failed' ? 'failed' : o.status) +
            (o.kind ? ' (' + o.kind + ')' : '') +
            (o.message ? ': ' + o.message : o.reason ? ': ' + o.reason : '') +
            (o.advice ? ' What to do: ' + o.advice : '');
        }
      } catch (error) {
        outcome.className = 'outcome failed';
        outcome.textContent = 'The backup could not be started: ' + error.message;
      } finally {
        backup.disabled = false;
      }
      await Promise.all([loadDevice(), loadVersions(), showLatest()]);
    }

    main.replaceChildren(
      el('nav', { 'aria-label': 'Breadcrumb' }, el('a', { href: '#/' }, '← All devices')),
      heading,
      problem,
      details,
      el('div', { className: 'actions' }, backup, outcome),
      el(
        'section',
        { 'aria-labelledby': 'versions-title' },
        el('h2', { id: 'versions-title' }, 'Versions'),
        versionsNote,
        el(
          'div',
          { className: 'table-wrap' },
          el(
            'table',
            { id: 'versions' },
            el('caption', {}, 'Version history, newest first'),
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ...['From', 'To', 'Commit', 'Collected', 'sha256', 'Config'].map((h) =>
                  el('th', { scope: 'col' }, h),
                ),
              ),
            ),
            versionsBody,
          ),
        ),
        diffButton,
        diffOut,
      ),
      el('section', {}, configTitle, configOut),
    );
    heading.focus();
    return Promise.all([loadDevice(), loadVersions(), showLatest()]).then(() =>
      schedule(loadDevice),
    );
  }

  function route() {
    clearTimeout(timer);
    const match = /^#\/device\/(.+)$/.exec(location.hash);
    if (match) {
      let id;
      try {
        id = decodeURIComponent(match[1]);
      } catch {
        id = match[1];
      }
      document.title = id + ' · confsnap';
      return renderDevice(id);
    }
    document.title = 'Devices · confsnap';
    return renderList().then(() => {
      const h1 = main.querySelector('h1');
      if (h1 && document.activeElement === document.body) h1.focus();
    });
  }

  window.addEventListener('hashchange', route);
  route();
})();
`;
