/*
 * The staff page. Plain browser JavaScript, no build step. Rule: every element is built with
 * document.createElement and every value from the API goes in as a text node (textContent); nothing
 * is ever assigned to innerHTML. What citizens typed is untrusted.
 */
'use strict';
(function () {
  var TOKEN_KEY = 'klachtbot.staff.token';
  var PKCE_KEY = 'klachtbot.staff.pkce';
  var STATUS = { received: 'Ontvangen', informal: 'Informele afhandeling', formal: 'Formele afhandeling', resolved: 'Afgehandeld' };
  var ROUTE = {
    complaint: 'Klacht',
    objection: 'Bezwaar',
    'tax-objection': 'Bezwaar belasting/WOZ',
    report: 'Melding openbare ruimte',
    damage: 'Schadevergoeding',
    care: 'Zorgaanbieder',
    other: 'Anders',
  };
  var NEXT = { received: ['informal', 'formal'], informal: ['formal', 'resolved'], formal: ['resolved'], resolved: [] };
  var PART = { morning: 'ochtend', afternoon: 'middag' };
  var PLACE = { counter: 'balie', phone: 'telefoon', mail: 'post/e-mail', website: 'website', home: 'thuis', elsewhere: 'elders' };
  var PERSON = { staff: 'medewerker', department: 'afdeling', burgemeester: 'burgemeester', wethouder: 'wethouder', gemeentesecretaris: 'gemeentesecretaris' };

  var state = { config: null, token: null, filters: {}, view: 'complaints' };
  var main, message;

  // ---------- DOM helpers: text only ----------
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = String(v);
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else if (k === 'value') e.value = v;
        else if (k === 'checked') e.checked = Boolean(v);
        else e.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }
  function append(parent, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) return child.forEach(function (c) { append(parent, c); });
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function show(text, ok) {
    message.textContent = text || '';
    message.hidden = !text;
    message.className = ok ? 'message ok' : 'message';
  }
  function date(iso) {
    if (!iso) return '';
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (m) return m[3] + '-' + m[2] + '-' + m[1];
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam' });
  }

  // ---------- API ----------
  function api(path, options) {
    options = options || {};
    var headers = { Authorization: 'Bearer ' + state.token };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path, {
      method: options.method || 'GET',
      headers: headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      cache: 'no-store',
    }).then(function (res) {
      if (res.status === 401 || res.status === 403) {
        signOut(res.status === 403 ? 'U bent ingelogd, maar heeft niet de rol van klachtenfunctionaris.' : 'Uw sessie is verlopen. Log opnieuw in.');
        throw new Error('auth');
      }
      if (options.raw) return res.ok ? res.blob() : Promise.reject(new Error('HTTP ' + res.status));
      return res.json().then(function (body) {
        if (!res.ok) throw new Error((body && body.message) || (body && body.error) || 'HTTP ' + res.status);
        return body;
      });
    });
  }
  function failed(err) {
    if (err && err.message !== 'auth') show('Dat lukte niet: ' + err.message);
  }

  // ---------- sign in ----------
  function b64url(bytes) {
    var s = '';
    bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function redirectUri() {
    return location.origin + '/staff';
  }
  function startOidc() {
    var oidc = state.config.oidc;
    var verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    var stateValue = b64url(crypto.getRandomValues(new Uint8Array(16)));
    crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)).then(function (digest) {
      sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier: verifier, state: stateValue }));
      var url = new URL(oidc.authorizationEndpoint);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', oidc.clientId);
      url.searchParams.set('redirect_uri', redirectUri());
      url.searchParams.set('scope', oidc.scope);
      url.searchParams.set('state', stateValue);
      url.searchParams.set('code_challenge', b64url(new Uint8Array(digest)));
      url.searchParams.set('code_challenge_method', 'S256');
      location.assign(url.toString());
    });
  }
  function finishOidc(params) {
    var saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
    sessionStorage.removeItem(PKCE_KEY);
    history.replaceState(null, '', '/staff');
    if (!saved || saved.state !== params.get('state') || !state.config.oidc) {
      return Promise.reject(new Error('Inloggen is niet gelukt (onbekende aanvraag). Probeer het opnieuw.'));
    }
    var form = new URLSearchParams();
    form.set('grant_type', 'authorization_code');
    form.set('code', params.get('code'));
    form.set('redirect_uri', redirectUri());
    form.set('client_id', state.config.oidc.clientId);
    form.set('code_verifier', saved.verifier);
    return fetch(state.config.oidc.tokenEndpoint, { method: 'POST', body: form })
      .then(function (res) { return res.json().then(function (b) { if (!res.ok || !b.access_token) throw new Error('Inloggen is niet gelukt.'); return b; }); })
      .then(function (b) { sessionStorage.setItem(TOKEN_KEY, b.access_token); });
  }
  function signOut(reason) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    renderSignIn(reason);
  }
  function renderSignIn(reason) {
    document.getElementById('who').hidden = true;
    document.getElementById('nav').hidden = true;
    clear(main);
    show(reason || '');
    var box = el('div', { class: 'signin' }, el('h2', { text: 'Inloggen' }));
    if (state.config.oidc) {
      box.appendChild(el('p', null, el('button', { type: 'button', id: 'sign-in-oidc', onclick: startOidc }, 'Inloggen met uw gemeenteaccount')));
    }
    if (state.config.apiTokens) {
      var input = el('input', { type: 'password', id: 'api-token', name: 'token', autocomplete: 'off', required: true });
      box.appendChild(
        el(
          'form',
          {
            id: 'token-form',
            onsubmit: function (ev) {
              ev.preventDefault();
              sessionStorage.setItem(TOKEN_KEY, input.value.trim());
              start();
            },
          },
          el('label', null, 'API-token', input),
          el('button', { type: 'submit' }, 'Inloggen met API-token'),
        ),
      );
    }
    if (!state.config.oidc && !state.config.apiTokens) box.appendChild(el('p', { text: 'Inloggen is nog niet ingesteld (zie OIDC_* en STAFF_API_TOKENS).' }));
    main.appendChild(box);
  }
  function start() {
    state.token = sessionStorage.getItem(TOKEN_KEY);
    if (!state.token) return renderSignIn();
    api('/staff/api/me')
      .then(function (me) {
        show('');
        document.getElementById('who-name').textContent = me.id;
        document.getElementById('who').hidden = false;
        document.getElementById('nav').hidden = false;
        go(state.view);
      })
      .catch(failed);
  }

  // ---------- views ----------
  function go(view) {
    state.view = view;
    Array.prototype.forEach.call(document.querySelectorAll('#nav button'), function (b) {
      if (b.getAttribute('data-view') === view) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    });
    if (view === 'callbacks') return renderCallbacks();
    if (view === 'audit') return renderAudit();
    return renderList();
  }

  function options(map, selected, empty) {
    return [el('option', { value: '' }, empty)].concat(
      Object.keys(map).map(function (k) { return el('option', { value: k, selected: k === selected }, map[k]); }),
    );
  }

  function deadlineCell(d, status) {
    var parts = [];
    if (status === 'received') parts.push(el('div', { class: d.contactOverdue ? 'late' : '' }, 'Contact: ' + date(d.contactBy)));
    if (status !== 'resolved') parts.push(el('div', { class: d.decisionOverdue ? 'late' : '' }, 'Besluit: ' + date(d.decisionDue) + (d.extended ? ' (verdaagd)' : '')));
    if (d.overdue) parts.push(el('div', { class: 'late' }, 'Termijn verstreken'));
    return parts;
  }

  function renderList() {
    clear(main);
    var f = state.filters;
    var q = el('input', { type: 'search', id: 'f-q', name: 'q', value: f.q || '' });
    var status = el('select', { id: 'f-status', name: 'status' }, options(STATUS, f.status, 'alle'));
    var route = el('select', { id: 'f-route', name: 'route' }, options(ROUTE, f.route, 'alle'));
    var from = el('input', { type: 'date', id: 'f-from', name: 'from', value: f.from || '' });
    var to = el('input', { type: 'date', id: 'f-to', name: 'to', value: f.to || '' });
    var overdue = el('input', { type: 'checkbox', id: 'f-overdue', name: 'overdue', checked: f.overdue });
    var tbody = el('tbody', { id: 'complaint-rows' });
    var more = el('button', { type: 'button', id: 'more', hidden: true }, 'Meer laden');
    var form = el(
      'form',
      {
        id: 'filters',
        role: 'search',
        onsubmit: function (ev) {
          ev.preventDefault();
          state.filters = { q: q.value.trim(), status: status.value, route: route.value, from: from.value, to: to.value, overdue: overdue.checked };
          load(null, true);
        },
      },
      el('label', null, 'Zoeken (tekst of kenmerk)', q),
      el('label', null, 'Status', status),
      el('label', null, 'Soort', route),
      el('label', null, 'Ontvangen vanaf', from),
      el('label', null, 'tot en met', to),
      el('label', { class: 'inline' }, overdue, 'Alleen over termijn'),
      el('button', { type: 'submit' }, 'Zoeken'),
    );
    main.appendChild(el('h2', { text: 'Klachten' }));
    main.appendChild(form);
    main.appendChild(
      el('table', null,
        el('thead', null, el('tr', null, ['Kenmerk', 'Ontvangen', 'Status', 'Soort', 'Naam', 'Verhaal', 'Termijnen'].map(function (h) { return el('th', { scope: 'col' }, h); }))),
        tbody),
    );
    main.appendChild(more);
    var cursor = null;
    function load(next, reset) {
      var p = new URLSearchParams();
      Object.keys(state.filters).forEach(function (k) {
        var v = state.filters[k];
        if (v === true) p.set(k, 'true');
        else if (v) p.set(k, v);
      });
      p.set('limit', '25');
      if (next) p.set('cursor', next);
      api('/staff/api/complaints?' + p.toString())
        .then(function (page) {
          if (reset) clear(tbody);
          page.items.forEach(function (c) {
            tbody.appendChild(
              el('tr', { 'data-reference': c.reference },
                el('td', null, el('button', { type: 'button', class: 'link open', onclick: function () { renderDetail(c.reference); } }, c.reference)),
                el('td', null, date(c.createdAt)),
                el('td', null, STATUS[c.status] || c.status),
                el('td', null, ROUTE[c.route] || c.route),
                el('td', { class: 'name' }, c.contact.name),
                el('td', { class: 'excerpt' }, c.excerpt),
                el('td', null, deadlineCell(c.deadlines, c.status)),
              ),
            );
          });
          if (reset && page.items.length === 0) tbody.appendChild(el('tr', null, el('td', { colspan: '7' }, 'Geen klachten gevonden.')));
          cursor = page.nextCursor;
          more.hidden = !cursor;
        })
        .catch(failed);
    }
    more.addEventListener('click', function () { load(cursor, false); });
    load(null, true);
  }

  function renderDetail(reference) {
    show('');
    api('/staff/api/complaints/' + encodeURIComponent(reference))
      .then(function (c) { drawDetail(c); })
      .catch(failed);
  }

  function field(label, value) {
    return [el('dt', null, label), el('dd', null, value === null || value === undefined || value === '' ? '—' : value)];
  }

  function drawDetail(c) {
    clear(main);
    main.appendChild(el('p', null, el('button', { type: 'button', id: 'back', onclick: function () { go('complaints'); } }, '← Terug naar de lijst')));
    main.appendChild(el('h2', { id: 'detail-title' }, 'Klacht ' + c.reference));
    var d = c.deadlines;
    main.appendChild(
      el('section', { id: 'deadlines', 'aria-labelledby': 'h-deadlines' },
        el('h3', { id: 'h-deadlines', text: 'Status en termijnen' }),
        el('dl', { class: 'fields' },
          field('Status', STATUS[c.status] || c.status),
          field('Ontvangen', date(c.createdAt)),
          field('Contact uiterlijk', date(d.contactBy) + (d.contactOverdue ? ' — verstreken' : '')),
          field('Besluit uiterlijk', date(d.decisionDue) + (d.extended ? ' (verdaagd)' : '') + (d.decisionOverdue ? ' — verstreken' : '')),
          c.resolvedAt ? field('Afgehandeld', date(c.resolvedAt)) : null,
        ),
        d.overdue ? el('p', { class: 'late' }, 'Een termijn is verstreken.') : null,
      ),
    );
    var cb = c.callback;
    main.appendChild(
      el('section', { id: 'fields', 'aria-labelledby': 'h-fields' },
        el('h3', { id: 'h-fields', text: 'Klacht' }),
        el('dl', { class: 'fields' },
          field('Soort', ROUTE[c.route] || c.route),
          field('Verhaal', el('span', { id: 'story' }, c.story)),
          field('Wanneer', c.incidentDate ? date(c.incidentDate) + ' (' + c.incidentDateText + ')'
            : c.incidentDateFrom ? date(c.incidentDateFrom) + ' t/m ' + date(c.incidentDateTo) + ' (' + c.incidentDateText + ')' : c.incidentDateText),
          field('Waar', (c.placeKind ? PLACE[c.placeKind] + ': ' : '') + c.place),
          field('Over wie', (c.personKind ? PERSON[c.personKind] + (c.person ? ': ' : '') : '') + (c.person || '')),
          field('Gewenste oplossing', c.solution),
          field('Naam', c.contact.name),
          field('Telefoon', c.contact.phone),
          field('Adres', [c.contact.street, [c.contact.postcode, c.contact.city].filter(Boolean).join(' '), c.contact.country].filter(Boolean).join(', ')),
          field('E-mail', c.contact.email),
          field('Terugbellen', cb ? date(cb.date) + ', ' + PART[cb.partOfDay] : null),
          field('Kanaal', c.channel + ' (' + c.locale + ')'),
        ),
      ),
    );
    main.appendChild(statusSection(c));
    main.appendChild(
      el('section', { id: 'history', 'aria-labelledby': 'h-history' },
        el('h3', { id: 'h-history', text: 'Geschiedenis' }),
        c.history.length === 0
          ? el('p', null, 'Nog geen wijzigingen.')
          : el('ol', null, c.history.map(function (h) {
              var what = h.kind === 'extension' ? 'Termijn verdaagd' : (STATUS[h.from] || h.from) + ' → ' + (STATUS[h.to] || h.to);
              return el('li', null, date(h.at) + ' — ' + h.actor + ' — ' + what + ': ', el('span', { class: 'note' }, h.note));
            })),
      ),
    );
    var download = el('button', { type: 'button', id: 'download' }, 'Download .transcript (Bot Framework Emulator)');
    download.addEventListener('click', function () {
      api('/staff/api/complaints/' + encodeURIComponent(c.reference) + '/transcript', { raw: true })
        .then(function (blob) {
          var url = URL.createObjectURL(blob);
          var a = el('a', { href: url, download: c.reference + '.transcript' });
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
        })
        .catch(failed);
    });
    main.appendChild(
      el('section', { id: 'transcript', 'aria-labelledby': 'h-transcript' },
        el('h3', { id: 'h-transcript', text: 'Gesprek' }),
        el('p', null, download),
        chat(c.transcript),
      ),
    );
  }

  function statusSection(c) {
    var section = el('section', { id: 'handling', 'aria-labelledby': 'h-handling' }, el('h3', { id: 'h-handling', text: 'Behandeling' }));
    var next = NEXT[c.status] || [];
    if (next.length > 0) {
      var select = el('select', { id: 'new-status', name: 'status', required: true }, next.map(function (s) { return el('option', { value: s }, STATUS[s]); }));
      var note = el('textarea', { id: 'status-note', name: 'note', required: true, maxlength: '2000' });
      section.appendChild(
        el('form', {
            id: 'status-form',
            onsubmit: function (ev) {
              ev.preventDefault();
              api('/staff/api/complaints/' + encodeURIComponent(c.reference) + '/status', { method: 'POST', body: { status: select.value, note: note.value } })
                .then(function (updated) { drawDetail(updated); show('Status gewijzigd.', true); })
                .catch(failed);
            },
          },
          el('label', null, 'Nieuwe status', select),
          el('label', null, 'Toelichting', note),
          el('button', { type: 'submit' }, 'Status wijzigen'),
        ),
      );
    } else {
      section.appendChild(el('p', null, 'Deze klacht is afgehandeld.'));
    }
    if (c.status !== 'resolved' && !c.deadlines.extended) {
      var why = el('textarea', { id: 'extension-note', name: 'note', required: true, maxlength: '2000' });
      section.appendChild(
        el('form', {
            id: 'extension-form',
            onsubmit: function (ev) {
              ev.preventDefault();
              api('/staff/api/complaints/' + encodeURIComponent(c.reference) + '/extension', { method: 'POST', body: { note: why.value } })
                .then(function (updated) { drawDetail(updated); show('Termijn met 4 weken verdaagd.', true); })
                .catch(failed);
            },
          },
          el('label', null, 'Reden verdaging (eenmalig 4 weken, Awb 9:11; meld dit schriftelijk)', why),
          el('button', { type: 'submit' }, 'Termijn verdagen'),
        ),
      );
    }
    return section;
  }

  function cardText(att) {
    var c = att && att.content;
    if (!c || typeof c !== 'object') return '[bijlage: ' + (att && att.contentType) + ']';
    var out = [];
    (function walk(node) {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(walk);
      ['title', 'subtitle', 'text'].forEach(function (k) { if (typeof node[k] === 'string') out.push(node[k]); });
      ['body', 'items', 'columns', 'facts', 'actions', 'buttons'].forEach(function (k) { walk(node[k]); });
      if (typeof node.value === 'string' && typeof node.title === 'string') out.push(node.value);
    })(c);
    return out.join('\n') || '[bijlage: ' + att.contentType + ']';
  }

  function chat(activities) {
    var box = el('div', { class: 'chat', id: 'chat', role: 'log', 'aria-label': 'Gesprek tussen inwoner en bot' });
    if (!activities || activities.length === 0) box.appendChild(el('p', null, 'Geen gesprek opgeslagen.'));
    (activities || []).forEach(function (a) {
      var role = a.from && a.from.role === 'user' ? 'user' : 'bot';
      if (a.type === 'message') {
        var bubble = el('div', { class: 'bubble ' + role, 'data-role': role },
          el('div', { class: 'meta' }, (role === 'user' ? 'Inwoner' : 'Bot') + ' · ' + date(a.timestamp)),
          a.text ? el('div', { class: 'text' }, a.text) : null,
        );
        (a.attachments || []).forEach(function (att) { bubble.appendChild(el('div', { class: 'card' }, cardText(att))); });
        var actions = a.suggestedActions && a.suggestedActions.actions;
        if (actions && actions.length) {
          bubble.appendChild(el('div', { class: 'chips' }, actions.map(function (x) { return el('span', { class: 'chip' }, x.title || x.value || ''); })));
        }
        box.appendChild(bubble);
      } else if (a.type === 'conversationUpdate') {
        box.appendChild(el('div', { class: 'system' }, 'Gesprek gestart · ' + date(a.timestamp)));
      } else {
        box.appendChild(el('div', { class: 'system' }, '[' + a.type + (a.name ? ': ' + a.name : '') + '] · ' + date(a.timestamp)));
      }
    });
    return box;
  }

  function renderCallbacks() {
    clear(main);
    main.appendChild(el('h2', { text: 'Terugbelverzoeken' }));
    var tbody = el('tbody', { id: 'callback-rows' });
    main.appendChild(
      el('table', null,
        el('thead', null, el('tr', null, ['Datum', 'Dagdeel', 'Naam', 'Telefoon', 'Onderwerp', 'Verzoek', 'Klacht', ''].map(function (h) { return el('th', { scope: 'col' }, h); }))),
        tbody),
    );
    api('/staff/api/callbacks?status=open')
      .then(function (r) {
        if (r.items.length === 0) tbody.appendChild(el('tr', null, el('td', { colspan: '8' }, 'Geen open terugbelverzoeken.')));
        r.items.forEach(function (cb) {
          var done = el('button', { type: 'button', class: 'done' }, 'Teruggebeld');
          done.addEventListener('click', function () {
            api('/staff/api/callbacks/' + cb.id + '/done', { method: 'POST', body: {} })
              .then(function () { show('Gemarkeerd als teruggebeld.', true); renderCallbacks(); })
              .catch(failed);
          });
          tbody.appendChild(
            el('tr', { 'data-callback': String(cb.id) },
              el('td', null, date(cb.date)),
              el('td', null, PART[cb.partOfDay] || cb.partOfDay),
              el('td', null, cb.name),
              el('td', null, cb.phone),
              el('td', null, cb.topic || '—'),
              el('td', null, cb.reference || '—'),
              el('td', null, cb.complaintReference
                ? el('button', { type: 'button', class: 'link', onclick: function () { renderDetail(cb.complaintReference); } }, cb.complaintReference)
                : '—'),
              el('td', null, done),
            ),
          );
        });
      })
      .catch(failed);
  }

  function renderAudit() {
    clear(main);
    main.appendChild(el('h2', { text: 'Auditlog' }));
    var tbody = el('tbody', { id: 'audit-rows' });
    main.appendChild(
      el('table', null,
        el('thead', null, el('tr', null, ['Wanneer', 'Wie', 'Via', 'Actie', 'Kenmerken'].map(function (h) { return el('th', { scope: 'col' }, h); }))),
        tbody),
    );
    api('/staff/api/audit?limit=200')
      .then(function (r) {
        r.items.forEach(function (e) {
          tbody.appendChild(el('tr', null, el('td', null, date(e.at)), el('td', null, e.actor), el('td', null, e.via), el('td', null, e.action), el('td', null, e.references.join(', '))));
        });
      })
      .catch(failed);
  }

  // ---------- start ----------
  document.addEventListener('DOMContentLoaded', function () {
    main = document.getElementById('main');
    message = document.getElementById('message');
    document.getElementById('sign-out').addEventListener('click', function () { signOut('U bent uitgelogd.'); });
    Array.prototype.forEach.call(document.querySelectorAll('#nav button'), function (b) {
      b.addEventListener('click', function () { show(''); go(b.getAttribute('data-view')); });
    });
    fetch('/staff/config.json', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (config) {
        state.config = config;
        var params = new URLSearchParams(location.search);
        if (params.get('code') && params.get('state')) return finishOidc(params).then(start);
        if (params.get('error')) {
          history.replaceState(null, '', '/staff');
          return renderSignIn('Inloggen is niet gelukt.');
        }
        return start();
      })
      .catch(function (err) {
        if (state.config) renderSignIn(err.message);
        else show('De pagina kon niet laden.');
      });
  });
})();
