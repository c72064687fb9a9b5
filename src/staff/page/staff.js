/*
 * The staff page. Plain browser JavaScript, no build step. Rule: every element is built with
 * document.createElement and every value from the API goes in as a text node (textContent); nothing
 * is ever assigned to innerHTML. What citizens typed is untrusted.
 *
 * Views are hash routes (#/complaints, #/complaints/KL-…, #/mine, #/due, #/callbacks, #/new,
 * #/reports/YYYY, #/deliveries, #/mail, #/audit), so Back works and a complaint can be linked. Every
 * change sends If-Match with the version the officer saw; a stale one (412) shows the current state.
 * Files (CSV, PDF, transcript, documents) are fetched with the bearer token and saved as a Blob,
 * because a plain link cannot carry the Authorization header.
 */
'use strict';
(function () {
  var TOKEN_KEY = 'klachtbot.staff.token';
  var PKCE_KEY = 'klachtbot.staff.pkce';
  var RETURN_KEY = 'klachtbot.staff.return';
  var API = '/staff/api';

  // Labels used until GET /meta answers (and for what /meta does not cover).
  var DEFAULT_META = {
    statuses: { received: 'Ontvangen', informal: 'Informele afhandeling', formal: 'Formele afhandeling', resolved: 'Afgehandeld' },
    outcomes: {
      gegrond: 'Gegrond',
      deels_gegrond: 'Deels gegrond',
      ongegrond: 'Ongegrond',
      niet_in_behandeling: 'Niet in behandeling genomen (Awb 9:8)',
      opgelost_informeel: 'Opgelost in informele behandeling',
      ingetrokken: 'Ingetrokken',
    },
    outcomeGrounds: {},
    categories: { bejegening: 'Bejegening', bereikbaarheid: 'Bereikbaarheid', wachttijd: 'Wachttijd', informatievoorziening: 'Informatievoorziening' },
    departments: {},
    channels: { phone: 'Telefoon', letter: 'Brief', email: 'E-mail', counter: 'Balie' },
    letterKinds: {
      receipt: 'Ontvangstbevestiging (Awb 9:6)',
      extension: 'Verdaging van de termijn (Awb 9:11)',
      hearing: 'Uitnodiging om gehoord te worden (Awb 9:10)',
      decision: 'Besluit op de klacht (Awb 9:12)',
    },
  };
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
  var LANG = { nl: 'Nederlands', en: 'Engels' };
  var PLACE = { counter: 'balie', phone: 'telefoon', mail: 'post/e-mail', website: 'website', home: 'thuis', elsewhere: 'elders' };
  var PERSON = { staff: 'medewerker', department: 'afdeling', burgemeester: 'burgemeester', wethouder: 'wethouder', gemeentesecretaris: 'gemeentesecretaris' };
  var CALLBACK_OUTCOME = { reached: 'Bereikt', not_reached: 'Niet bereikt', rescheduled: 'Verzet' };
  var TARGET = {
    'mail.citizen': 'E-mail aan de inwoner (ontvangstbevestiging)',
    'mail.officers': 'E-mail aan de klachtenfunctionarissen',
    'mail.letter': 'Brief per e-mail',
    'mail.digest': 'Dagoverzicht mislukte verzendingen',
    zgw: 'Zaaksysteem (ZGW)',
    klantinteracties: 'Klantinteracties (Open Klant)',
  };
  var DELIVERY_STATUS = { pending: 'Wacht op verzending', sending: 'Wordt verzonden', sent: 'Verzonden', failed: 'Mislukt' };
  var FIELD_REASON = {
    required: 'Vul dit in.',
    tooShort: 'Dit is te kort.',
    tooLong: 'Dit is te lang.',
    format: 'Dit klopt niet. Controleer de schrijfwijze.',
    invalid: 'Dit klopt niet.',
    choice: 'Kies een van de mogelijkheden.',
  };
  var HTTP_MESSAGE = {
    400: 'De gegevens zijn niet compleet of kloppen niet.',
    404: 'Dit is niet gevonden.',
    409: 'Dit kan nu niet met deze klacht.',
    403: 'Dit mag u niet doen met uw rol.',
    413: 'Het bestand is te groot (hoogstens 10 MB).',
    415: 'Dit soort bestand kan niet worden toegevoegd.',
    428: 'De pagina weet niet welke versie u zag. Laad de klacht opnieuw.',
    503: 'De inlogdienst is nu niet bereikbaar. Probeer het later opnieuw.',
  };
  var STALE = 'Een collega heeft deze klacht gewijzigd. U ziet nu de nieuwste versie. Controleer die en doe uw wijziging zo nodig opnieuw.';

  var state = { config: null, token: null, me: null, meta: DEFAULT_META, current: null, listKey: null };
  var main, message, announcer;

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
        else if (k === 'selected') e.selected = Boolean(v);
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
  /** The message region (aria-live): errors and confirmations, in words (not only by colour). */
  function show(text, ok) {
    message.textContent = text || '';
    message.hidden = !text;
    message.className = ok ? 'message ok' : 'message';
  }
  function announce(text) {
    announcer.textContent = '';
    setTimeout(function () { announcer.textContent = text; }, 50);
  }
  function date(iso, dayOnly) {
    if (!iso) return '';
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (m) return m[3] + '-' + m[2] + '-' + m[1];
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    return dayOnly
      ? d.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam', day: '2-digit', month: '2-digit', year: 'numeric' })
      : d.toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' });
  }
  function todayIso() {
    return new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
  }
  /** [code, label] pairs from a map { code: label }, an array of strings, or an array of { code|id|value, label|name }. */
  function pairs(x) {
    if (!x) return [];
    if (Array.isArray(x)) {
      return x.map(function (v) {
        if (typeof v === 'string') return [v, v];
        var code = v.code !== undefined ? v.code : v.id !== undefined ? v.id : v.value !== undefined ? v.value : v.name;
        return [String(code), String(v.label || v.name || v.description || code)];
      });
    }
    return Object.keys(x).map(function (k) { return [k, typeof x[k] === 'string' ? x[k] : String((x[k] && (x[k].label || x[k].name)) || k)]; });
  }
  function label(kind, code) {
    if (code === null || code === undefined || code === '') return '';
    var found = pairs(state.meta[kind]).filter(function (p) { return p[0] === code; })[0];
    if (found) return found[1];
    var fallback = pairs(DEFAULT_META[kind]).filter(function (p) { return p[0] === code; })[0];
    return fallback ? fallback[1] : String(code);
  }
  function options(list, selected, empty) {
    var out = empty === null ? [] : [el('option', { value: '' }, empty || '—')];
    return out.concat(list.map(function (p) { return el('option', { value: p[0], selected: p[0] === selected }, p[1]); }));
  }
  var uid = 0;
  /** A form field: label, input, hint and the place for its error (aria-describedby). */
  function fieldRow(text, input, hint) {
    var id = input.id || 'f' + ++uid;
    input.id = id;
    var errId = id + '-error';
    var hintNode = hint ? el('span', { class: 'hint', id: id + '-hint' }, hint) : null;
    input.setAttribute('aria-describedby', (hint ? id + '-hint ' : '') + errId);
    return el('div', { class: 'field', 'data-field': input.name || id },
      el('label', { for: id }, text),
      hintNode,
      el('span', { class: 'field-error', id: errId, hidden: true }),
      input,
    );
  }
  function setFieldError(input, text) {
    var err = document.getElementById(input.id + '-error');
    if (!err) return;
    err.textContent = text ? 'Fout: ' + text : '';
    err.hidden = !text;
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  /** Puts the view's heading in focus and in view: after opening a view and after a change. */
  function focusHeading(node) {
    var h = node || document.getElementById('view-title');
    if (!h) return;
    h.setAttribute('tabindex', '-1');
    h.focus({ preventScroll: true });
    h.scrollIntoView({ block: 'start' });
  }
  /** A wide table scrolls on its own on a narrow screen, not the page (WCAG 1.4.10); focusable so the keyboard can scroll it. */
  function wide(table, name) {
    return el('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': name }, table);
  }
  function heading(text, level) {
    // each view has its own title (WCAG 2.4.2), also in the browser's history
    document.title = text + ' – Klachten – medewerkers';
    return el(level || 'h1', { id: 'view-title', tabindex: '-1' }, text);
  }

  // ---------- API ----------
  function ApiError(status, body) {
    this.status = status;
    this.body = body || {};
    this.code = this.body.error || '';
    this.message = this.body.message || HTTP_MESSAGE[status] || 'Er ging iets mis (' + status + '). Probeer het opnieuw.';
  }
  ApiError.prototype = Object.create(Error.prototype);

  function api(path, opts) {
    opts = opts || {};
    var headers = { Authorization: 'Bearer ' + state.token };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.version !== undefined && opts.version !== null) headers['If-Match'] = '"' + opts.version + '"';
    if (opts.headers) Object.keys(opts.headers).forEach(function (k) { headers[k] = opts.headers[k]; });
    return fetch(API + path, {
      method: opts.method || 'GET',
      headers: headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      cache: 'no-store',
    }).then(function (res) {
      if (res.status === 401 || res.status === 403) {
        return res.json().catch(function () { return {}; }).then(function (b) {
          // 403 for one action (a klachtbehandelaar may not do it): say so, stay signed in
          if (res.status === 403 && !(b && b.error === 'not_staff')) throw new ApiError(403, b);
          var reason;
          if (res.status === 403) reason = 'U bent ingelogd, maar heeft niet de rol van klachtenfunctionaris.';
          else if (b && b.error === 'token_expired') reason = 'Uw sessie is verlopen. Log opnieuw in.';
          else if (b && b.error === 'no_token') reason = 'Log in om verder te gaan.';
          else reason = 'Dit token is niet geldig. Controleer het en log opnieuw in.';
          signOut(reason);
          var e = new Error('auth');
          e.auth = true;
          throw e;
        });
      }
      if (opts.raw) {
        if (res.ok) return res.blob();
        return res.json().catch(function () { return {}; }).then(function (b) { throw new ApiError(res.status, b); });
      }
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!res.ok) throw new ApiError(res.status, body);
        return body;
      });
    });
  }
  function failed(err) {
    if (err && err.auth) return;
    if (err instanceof ApiError) return show('Dat lukte niet: ' + err.message);
    show('Dat lukte niet: de server is niet bereikbaar of gaf een onverwacht antwoord.');
  }
  /**
   * A tab for a file that is still to be fetched, opened now while the click still counts as the
   * officer's (a tab opened after an await is stopped by the popup blocker).
   */
  function newTab() {
    var w = window.open('', '_blank');
    if (w) {
      try { w.opener = null; w.document.title = 'Laden…'; } catch (e) { /* another origin: nothing to set */ }
    }
    return w;
  }
  /** Fetches a file with the token and saves it (download) or shows it in a tab (`open`: true or a tab from newTab). */
  function saveFile(path, filename, open) {
    var tab = open === true ? newTab() : open || null;
    return api(path, { raw: true }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      if (tab) {
        tab.location.href = url;
      } else {
        var a = el('a', { href: url, download: filename });
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    }, function (err) {
      if (tab) tab.close();
      throw err;
    });
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
      if (location.hash.length > 2) sessionStorage.setItem(RETURN_KEY, location.hash);
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
    var back = sessionStorage.getItem(RETURN_KEY) || '';
    sessionStorage.removeItem(RETURN_KEY);
    history.replaceState(null, '', '/staff' + (/^#\/[\w\/?=&%.-]*$/.test(back) ? back : ''));
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
    state.me = null;
    state.current = null;
    renderSignIn(reason);
  }
  function setChrome(signedIn) {
    document.getElementById('who').hidden = !signedIn;
    document.getElementById('nav').hidden = !signedIn;
    if (!signedIn) document.getElementById('who-name').textContent = '';
  }
  function renderSignIn(reason) {
    setChrome(false);
    clear(main);
    show(reason || '');
    var box = el('div', { class: 'signin' }, heading('Inloggen'));
    if (state.config.oidc) {
      box.appendChild(el('p', null, el('button', { type: 'button', id: 'sign-in-oidc', onclick: startOidc }, 'Inloggen met uw gemeenteaccount')));
    }
    if (state.config.apiTokens) {
      var input = el('input', { type: 'password', id: 'api-token', name: 'token', autocomplete: 'off', required: true });
      box.appendChild(
        el('form', {
            id: 'token-form',
            onsubmit: function (ev) {
              ev.preventDefault();
              if (!input.value.trim()) return setFieldError(input, 'Vul uw API-token in.');
              sessionStorage.setItem(TOKEN_KEY, input.value.trim());
              start();
            },
          },
          fieldRow('API-token', input),
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
    api('/me')
      .then(function (me) {
        state.me = me;
        show('');
        document.getElementById('who-name').textContent = me.id;
        setChrome(true);
        var limited = handlerOnly();
        Array.prototype.forEach.call(document.querySelectorAll('#nav li'), function (li) {
          var v = li.firstChild.getAttribute('data-view');
          li.hidden = limited && v !== 'complaints' && v !== 'mine';
        });
        return api('/meta').then(function (meta) { state.meta = Object.assign({}, DEFAULT_META, meta || {}); }, function (err) { if (err && err.auth) throw err; });
      })
      .then(function () {
        if (!state.token) return;
        refreshCounts();
        route();
      })
      .catch(failed);
  }
  /** A klachtbehandelaar (handler role, without the officer's role) may add notes and documents only. */
  function handlerOnly() {
    var roles = (state.me && state.me.roles) || [];
    return roles.indexOf('handler') >= 0 && roles.indexOf('staff') < 0;
  }

  // ---------- header counts ----------
  function refreshCounts() {
    var box = document.getElementById('counts');
    api('/counts')
      .then(function (c) {
        clear(box);
        box.appendChild(document.createTextNode('Overzicht: '));
        box.appendChild(el('a', { href: '#/complaints?status=received', id: 'count-new' }, 'Nieuw: ' + c.new));
        box.appendChild(document.createTextNode(' · '));
        box.appendChild(el('a', { href: '#/due', id: 'count-due' }, 'Verloopt deze week: ' + c.dueThisWeek));
        box.appendChild(document.createTextNode(' · '));
        box.appendChild(el('a', { href: '#/complaints?overdue=true', id: 'count-overdue', class: c.overdue > 0 ? 'late' : '' }, 'Over termijn: ' + c.overdue));
        if (c.mine !== undefined) {
          box.appendChild(document.createTextNode(' · '));
          box.appendChild(el('a', { href: '#/mine', id: 'count-mine' }, 'Mijn klachten: ' + c.mine));
        }
        box.hidden = false;
      })
      .catch(function (err) { if (!(err && err.auth)) box.hidden = true; });
  }

  // ---------- routing ----------
  function parseHash() {
    var h = location.hash.replace(/^#\/?/, '');
    var q = '';
    var i = h.indexOf('?');
    if (i >= 0) { q = h.slice(i + 1); h = h.slice(0, i); }
    var parts = h.split('/').filter(Boolean).map(function (p) { return decodeURIComponent(p); });
    return { parts: parts, params: new URLSearchParams(q) };
  }
  function markNav(view) {
    Array.prototype.forEach.call(document.querySelectorAll('#nav a'), function (a) {
      if (a.getAttribute('data-view') === view) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  }
  function route() {
    if (!state.token || !state.me) return;
    var r = parseHash();
    var view = r.parts[0] || 'complaints';
    if (!r.parts[0]) {
      history.replaceState(null, '', '#/complaints');
    }
    if (view !== 'complaints' || !r.parts[1]) state.current = null;
    markNav(view === 'complaints' && r.parts[1] ? '' : view);
    if (view === 'complaints' && r.parts[1]) return renderDetail(r.parts[1].toUpperCase());
    if (view === 'complaints') return renderList('complaints', r.params);
    if (view === 'mine') return renderList('mine', r.params);
    if (view === 'due') return renderList('due', r.params);
    if (view === 'callbacks') return renderCallbacks(r.params.get('status') === 'done' ? 'done' : 'open');
    if (view === 'new') return renderNew();
    if (view === 'reports') return renderReport(r.parts[1]);
    if (view === 'deliveries') return renderDeliveries(r.params.get('status') || 'failed');
    if (view === 'mail') return renderMail(r.parts[1], r.params.get('locale'));
    if (view === 'audit') return renderAudit();
    clear(main);
    main.appendChild(heading('Niet gevonden'));
    main.appendChild(el('p', null, 'Deze pagina bestaat niet. ', el('a', { href: '#/complaints' }, 'Naar de klachten')));
    focusHeading();
  }
  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  // ---------- lists ----------
  var LIST_TITLE = { complaints: 'Klachten', mine: 'Mijn klachten', due: 'Binnenkort verlopen' };

  function deadlineCell(c) {
    var d = c.deadlines || {};
    var parts = [];
    if (c.status === 'received') parts.push(el('div', { class: d.contactOverdue ? 'late' : '' }, 'Contact: ' + date(d.contactBy) + (d.contactOverdue ? ' (verstreken)' : '')));
    if (c.status !== 'resolved') parts.push(el('div', { class: d.decisionOverdue ? 'late' : '' }, 'Besluit: ' + date(d.decisionDue) + (d.extended ? ' (verdaagd)' : '') + (d.decisionOverdue ? ' (verstreken)' : '')));
    if (d.overdue) parts.push(el('div', { class: 'late' }, '⚠ Termijn verstreken'));
    return parts;
  }
  function filterQuery(params, kind) {
    var p = new URLSearchParams();
    ['q', 'status', 'route', 'from', 'to', 'department', 'channel', 'assignee'].forEach(function (k) { if (params.get(k)) p.set(k, params.get(k)); });
    if (params.get('overdue') === 'true') p.set('overdue', 'true');
    if (kind === 'mine') p.set('assignee', 'me');
    if (kind === 'due') p.set('sort', 'deadline');
    return p;
  }

  function renderList(kind, params) {
    clear(main);
    show('');
    var q = el('input', { type: 'search', id: 'f-q', name: 'q', value: params.get('q') || '' });
    var status = el('select', { id: 'f-status', name: 'status' }, options(pairs(state.meta.statuses), params.get('status') || '', 'alle'));
    var routeSel = el('select', { id: 'f-route', name: 'route' }, options(pairs(ROUTE), params.get('route') || '', 'alle'));
    var dept = el('select', { id: 'f-department', name: 'department' }, options(pairs(state.meta.departments), params.get('department') || '', 'alle'));
    var channel = el('select', { id: 'f-channel', name: 'channel' }, options(pairs(state.meta.channels), params.get('channel') || '', 'alle'));
    var from = el('input', { type: 'date', id: 'f-from', name: 'from', value: params.get('from') || '' });
    var to = el('input', { type: 'date', id: 'f-to', name: 'to', value: params.get('to') || '' });
    var overdue = el('input', { type: 'checkbox', id: 'f-overdue', name: 'overdue', checked: params.get('overdue') === 'true' });
    var tbody = el('tbody', { id: 'complaint-rows' });
    var more = el('button', { type: 'button', id: 'more', hidden: true }, 'Meer laden');
    var csv = el('button', { type: 'button', id: 'export-csv' }, 'Exporteer deze lijst als CSV');
    var form = el('form', {
        id: 'filters',
        role: 'search',
        'aria-label': 'Klachten zoeken en filteren',
        onsubmit: function (ev) {
          ev.preventDefault();
          var p = new URLSearchParams();
          if (q.value.trim()) p.set('q', q.value.trim());
          [[status, 'status'], [routeSel, 'route'], [dept, 'department'], [channel, 'channel'], [from, 'from'], [to, 'to']].forEach(function (x) { if (x[0].value) p.set(x[1], x[0].value); });
          if (overdue.checked) p.set('overdue', 'true');
          var s = p.toString();
          state.filtersSubmitted = true;
          go('#/' + kind + (s ? '?' + s : ''));
        },
      },
      el('div', { class: 'filter-grid' },
        fieldRow('Zoeken (tekst, naam, telefoon, postcode of kenmerk)', q),
        fieldRow('Status', status),
        fieldRow('Soort', routeSel),
        fieldRow('Afdeling', dept),
        fieldRow('Binnengekomen via', channel),
        fieldRow('Ontvangen vanaf', from),
        fieldRow('tot en met', to),
      ),
      el('div', { class: 'field inline' }, overdue, el('label', { for: 'f-overdue' }, 'Alleen over termijn')),
      el('button', { type: 'submit' }, 'Zoeken'),
    );
    main.appendChild(heading(LIST_TITLE[kind]));
    if (kind === 'due') main.appendChild(el('p', null, 'Open klachten, de eerstvolgende termijn eerst.'));
    if (kind === 'mine') main.appendChild(el('p', null, 'Klachten die aan u zijn toegewezen.'));
    // the full list opens with its filters; the other lists keep them folded away
    var anyFilter = ['q', 'status', 'route', 'department', 'channel', 'from', 'to', 'overdue'].some(function (k) { return params.get(k); });
    main.appendChild(kind === 'complaints' || anyFilter ? form : el('details', { class: 'filters' }, el('summary', null, 'Zoeken en filteren'), form));
    main.appendChild(el('p', { class: 'actions' }, csv));
    main.appendChild(wide(
      el('table', { class: 'list' },
        el('caption', { class: 'visually-hidden' }, LIST_TITLE[kind]),
        el('thead', null, el('tr', null, ['Kenmerk', 'Ontvangen', 'Status', 'Soort', 'Naam', 'Verhaal', 'Toegewezen aan', 'Termijnen'].map(function (h) { return el('th', { scope: 'col' }, h); }))),
        tbody),
      'Tabel: ' + LIST_TITLE[kind]));
    main.appendChild(more);
    var base = filterQuery(params, kind);
    csv.addEventListener('click', function () {
      var p = new URLSearchParams(base);
      saveFile('/complaints.csv?' + p.toString(), 'klachten-' + todayIso() + '.csv').then(function () { show('De CSV is gedownload.', true); }, failed);
    });
    var cursor = null;
    var count = 0;
    function load(next, reset) {
      var p = new URLSearchParams(base);
      p.set('limit', '25');
      if (next) p.set('cursor', next);
      return api('/complaints?' + p.toString())
        .then(function (page) {
          if (reset) { clear(tbody); count = 0; }
          count += page.items.length;
          page.items.forEach(function (c) {
            var who = [c.assignee, c.department, c.handler].filter(Boolean).join(' · ');
            tbody.appendChild(
              el('tr', { 'data-reference': c.reference },
                el('td', null, el('a', { class: 'open', href: '#/complaints/' + c.reference }, c.reference)),
                el('td', { class: 'nowrap' }, date(c.createdAt, true)),
                el('td', null, label('statuses', c.status)),
                el('td', null, ROUTE[c.route] || c.route),
                el('td', { class: 'name' }, c.contact && c.contact.name),
                el('td', { class: 'excerpt' }, c.excerpt),
                el('td', null, who || '—'),
                el('td', null, deadlineCell(c)),
              ),
            );
          });
          if (reset && page.items.length === 0) tbody.appendChild(el('tr', null, el('td', { colspan: '8' }, 'Geen klachten gevonden.')));
          cursor = page.nextCursor;
          more.hidden = !cursor;
          announce(count === 0 ? 'Geen klachten gevonden.' : count + (cursor ? ' of meer' : '') + ' klachten getoond.');
        })
        .catch(failed);
    }
    more.addEventListener('click', function () { load(cursor, false); });
    var submitted = state.filtersSubmitted;
    state.filtersSubmitted = false;
    load(null, true).then(function () {
      // after searching, focus stays with the search form; opening the view puts it on the heading
      if (submitted) document.getElementById('f-q').focus();
    });
    if (!submitted) focusHeading();
  }

  // ---------- complaint ----------
  function renderDetail(reference) {
    show('');
    clear(main);
    main.appendChild(el('p', null, 'Laden…'));
    return api('/complaints/' + encodeURIComponent(reference))
      .then(function (c) {
        drawDetail(c);
        // a message for this view, said by the view before (a complaint just entered)
        if (state.flash) { show(state.flash, true); state.flash = null; }
      })
      .catch(function (err) {
        clear(main);
        main.appendChild(heading('Klacht ' + reference));
        main.appendChild(el('p', null, el('a', { href: '#/complaints' }, 'Terug naar de klachten')));
        focusHeading();
        failed(err);
      });
  }

  function field(text, value) {
    return [el('dt', null, text), el('dd', null, value === null || value === undefined || value === '' ? '—' : value)];
  }

  /** Sends a change with If-Match; on 412 shows the current state and says a colleague changed it. */
  function change(path, body, done, after) {
    var c = state.current;
    return api('/complaints/' + encodeURIComponent(c.reference) + path, { method: 'POST', body: body, version: c.version })
      .then(function (updated) {
        var shown = updated && updated.reference ? Promise.resolve(drawDetail(updated)) : renderDetail(c.reference);
        return shown.then(function () {
          refreshCounts();
          show(done, true);
          if (after) after(updated);
        });
      })
      .catch(function (err) {
        if (err instanceof ApiError && err.status === 412) {
          // what the officer wrote (notes, reasons) is kept; every field that shows the complaint is the current one
          var drafts = {};
          Array.prototype.forEach.call(document.querySelectorAll('#handling textarea'), function (n) { if (n.id && n.value) drafts[n.id] = n.value; });
          var reload = err.body && err.body.current && err.body.current.reference ? Promise.resolve(drawDetail(err.body.current)) : renderDetail(c.reference);
          return reload.then(function () {
            Object.keys(drafts).forEach(function (id) { var n = document.getElementById(id); if (n) n.value = drafts[id]; });
            show(STALE);
          });
        }
        failed(err);
      });
  }

  function drawDetail(c) {
    state.current = c;
    clear(main);
    var limited = handlerOnly();
    var d = c.deadlines || {};
    main.appendChild(el('p', { class: 'no-print' }, el('a', { href: '#/complaints', id: 'back' }, '← Naar de lijst met klachten')));
    main.appendChild(heading('Klacht ' + c.reference));
    main.appendChild(el('p', { class: 'no-print actions' },
      el('button', { type: 'button', id: 'print', onclick: function () { window.print(); } }, 'Afdrukken'),
    ));
    var grid = el('div', { class: 'detail-grid' });
    var left = el('div', { class: 'detail-main' });
    grid.appendChild(left);
    main.appendChild(grid);
    left.appendChild(
      el('section', { id: 'deadlines', 'aria-labelledby': 'h-deadlines' },
        el('h2', { id: 'h-deadlines', text: 'Status en termijnen' }),
        el('dl', { class: 'fields' },
          field('Status', label('statuses', c.status)),
          c.outcome ? field('Uitkomst', label('outcomes', c.outcome) + (c.outcomeGround ? ' — ' + label('outcomeGrounds', c.outcomeGround) : '')) : null,
          field('Categorie', label('categories', c.category)),
          field('Afdeling', label('departments', c.department)),
          field('Toegewezen aan', c.assignee),
          field('Klachtbehandelaar', c.handler),
          field('Ontvangen', date(c.createdAt)),
          field('Binnengekomen via', c.intakeChannel ? label('channels', c.intakeChannel) : 'chat (' + c.channel + ')'),
          field('Contact uiterlijk', date(d.contactBy) + (d.contactOverdue ? ' — verstreken' : '')),
          field('Besluit uiterlijk', date(d.decisionDue) + (d.extended ? ' (verdaagd)' : '') + (d.decisionOverdue ? ' — verstreken' : '')),
          c.resolvedAt ? field('Afgehandeld', date(c.resolvedAt)) : null,
        ),
        d.overdue ? el('p', { class: 'late' }, '⚠ Een termijn is verstreken.') : null,
      ),
    );
    var cb = c.callback;
    left.appendChild(
      el('section', { id: 'fields', 'aria-labelledby': 'h-fields' },
        el('h2', { id: 'h-fields', text: 'Klacht' }),
        el('dl', { class: 'fields' },
          field('Soort', ROUTE[c.route] || c.route),
          field('Verhaal', el('span', { id: 'story' }, c.story)),
          field('Wanneer', c.incidentDate ? date(c.incidentDate) + (c.incidentDateText ? ' (' + c.incidentDateText + ')' : '')
            : c.incidentDateFrom ? date(c.incidentDateFrom) + ' t/m ' + date(c.incidentDateTo) + ' (' + c.incidentDateText + ')' : c.incidentDateText),
          field('Waar', (c.placeKind ? PLACE[c.placeKind] + ': ' : '') + c.place),
          field('Over wie', (c.personKind ? PERSON[c.personKind] + (c.person ? ': ' : '') : '') + (c.person || '')),
          field('Gewenste oplossing', c.solution),
          field('Naam', c.contact.name),
          field('Telefoon', c.contact.phone),
          field('Adres', [c.contact.street, [c.contact.postcode, c.contact.city].filter(Boolean).join(' '), c.contact.country].filter(Boolean).join(', ')),
          field('E-mail', c.contact.email),
          field('Terugbellen', cb ? date(cb.date) + ', ' + PART[cb.partOfDay] : null),
          field('Taal', LANG[c.locale] || c.locale),
        ),
      ),
    );
    left.appendChild(timelineSection(c));
    if (c.documents && c.documents.length) left.appendChild(documentsSection(c));
    left.appendChild(deliveriesSection(c));
    left.appendChild(transcriptSection(c));
    var work = el('section', { id: 'handling', class: 'no-print detail-side', 'aria-labelledby': 'h-handling' }, el('h2', { id: 'h-handling', text: 'Behandelen' }));
    if (!limited) work.appendChild(assignForm(c));
    work.appendChild(noteForm(c));
    work.appendChild(documentForm(c));
    if (!limited) {
      work.appendChild(c.status === 'resolved' ? reopenForm(c) : statusForm(c));
      if (c.status !== 'resolved' && !d.extended) work.appendChild(extensionForm(c));
      work.appendChild(letterForm(c));
    }
    grid.appendChild(work);
    focusHeading();
  }

  function timelineSection(c) {
    var items = c.timeline || (c.history || []).map(function (h) { return Object.assign({ kind: h.kind }, h); });
    var section = el('section', { id: 'timeline', 'aria-labelledby': 'h-timeline' }, el('h2', { id: 'h-timeline', text: 'Tijdlijn' }));
    if (items.length === 0) {
      section.appendChild(el('p', null, 'Nog geen wijzigingen.'));
      return section;
    }
    section.appendChild(el('ol', { class: 'timeline' }, items.map(function (raw) {
      // an event's own fields may sit in `data`
      var t = Object.assign({}, raw.data && typeof raw.data === 'object' ? raw.data : {}, raw);
      return el('li', { 'data-kind': t.kind }, timelineItem(c, t));
    })));
    return section;
  }

  function timelineItem(c, t) {
    var what;
    var detail = [];
    var extra = null;
    switch (t.kind) {
      case 'status':
        what = label('statuses', t.from) + ' → ' + label('statuses', t.to);
        if (t.outcome) detail.push('uitkomst: ' + label('outcomes', t.outcome));
        break;
      case 'extension': what = 'Termijn verdaagd'; break;
      case 'note':
        what = 'Notitie';
        if (t.proposedOutcome) detail.push('voorgestelde uitkomst: ' + label('outcomes', t.proposedOutcome));
        break;
      case 'document':
        what = 'Document toegevoegd: ' + (t.filename || '');
        if (t.description) detail.push(t.description);
        if (t.documentId) {
          var docId = t.documentId;
          extra = el('button', { type: 'button', class: 'link', onclick: function () {
            saveFile('/complaints/' + encodeURIComponent(c.reference) + '/documents/' + encodeURIComponent(docId), t.filename || 'document').catch(failed);
          } }, 'Openen');
        }
        break;
      case 'assignment':
        what = 'Toegewezen';
        if (t.assignee !== undefined) detail.push('medewerker: ' + (t.assignee || 'niemand'));
        if (t.department !== undefined) detail.push('afdeling: ' + (label('departments', t.department) || 'geen'));
        if (t.handler !== undefined) detail.push('klachtbehandelaar: ' + (t.handler || 'niemand'));
        break;
      case 'outcome':
        what = 'Uitkomst: ' + label('outcomes', t.outcome);
        if (t.outcomeGround) detail.push(label('outcomeGrounds', t.outcomeGround));
        break;
      case 'reopen': what = 'Heropend'; break;
      case 'letter':
        var lk = t.letterKind || t.letter || (t.kind !== 'letter' ? t.kind : '');
        what = 'Brief: ' + (label('letterKinds', lk) || 'brief') + (t.sent || t.send ? ' (per e-mail verstuurd)' : ' (om af te drukken)');
        if (t.letterId) {
          var letterId = t.letterId;
          extra = el('button', { type: 'button', class: 'link', onclick: function () { saveFile('/letters/' + letterId + '.pdf', c.reference + '-brief.pdf', true).catch(failed); } }, 'Brief openen (PDF)');
        }
        break;
      case 'callback':
        what = 'Terugbellen: ' + (CALLBACK_OUTCOME[t.outcome] || t.outcome || '');
        break;
      default: what = t.kind;
    }
    var note = t.note || t.text || t.reason || '';
    return [
      el('span', { class: 'when' }, date(t.at)),
      ' — ',
      el('span', { class: 'actor' }, t.actor || ''),
      ' — ',
      el('strong', null, what),
      detail.length ? ' (' + detail.join('; ') + ')' : '',
      note ? ': ' : '',
      note ? el('span', { class: 'note' }, note) : null,
      extra ? ' ' : null,
      extra,
    ];
  }

  function documentsSection(c) {
    return el('section', { id: 'documents', 'aria-labelledby': 'h-documents' },
      el('h2', { id: 'h-documents', text: 'Documenten' }),
      el('ul', null, c.documents.map(function (d) {
        var open = el('button', { type: 'button', class: 'link' }, d.filename);
        open.addEventListener('click', function () {
          saveFile('/complaints/' + encodeURIComponent(c.reference) + '/documents/' + d.id, d.filename).catch(failed);
        });
        return el('li', null, open, ' (' + Math.max(1, Math.round(d.size / 1024)) + ' kB' + (d.description ? ', ' + d.description : '') + ', ' + d.createdBy + ', ' + date(d.createdAt) + ')');
      })));
  }

  function deliveriesSection(c) {
    var section = el('section', { id: 'deliveries', 'aria-labelledby': 'h-deliveries' }, el('h2', { id: 'h-deliveries', text: 'Verzending' }));
    var box = el('div');
    section.appendChild(box);
    function draw(items) {
      clear(box);
      if (!items || items.length === 0) {
        box.appendChild(el('p', null, 'Geen verzendingen voor deze klacht.'));
        return;
      }
      box.appendChild(deliveryTable(items, function () { renderDetail(c.reference).then(function () { show('De verzending wordt opnieuw geprobeerd.', true); }); }, false));
    }
    if (c.deliveries) draw(c.deliveries);
    else {
      box.appendChild(el('p', null, 'Laden…'));
      api('/complaints/' + encodeURIComponent(c.reference) + '/deliveries')
        .then(function (r) { draw(r.items); })
        .catch(function (err) {
          if (err && err.auth) return;
          clear(box);
          box.appendChild(el('p', null, 'De verzendingen zijn nu niet te zien.'));
        });
    }
    return section;
  }

  function deliveryTable(items, afterRetry, withSubject) {
    var head = ['Naar', 'Status', 'Pogingen', 'Laatste fout', 'Volgende poging', ''];
    if (withSubject) head.unshift('Over');
    return wide(el('table', { class: 'deliveries' },
      el('thead', null, el('tr', null, head.map(function (h) { return el('th', { scope: 'col' }, h || el('span', { class: 'visually-hidden' }, 'Actie')); }))),
      el('tbody', null, items.map(function (dl) {
        var retry = null;
        if (dl.status === 'failed' || dl.status === 'pending') {
          retry = el('button', { type: 'button', class: 'retry', 'data-delivery': String(dl.id) }, 'Opnieuw proberen');
          retry.setAttribute('aria-label', 'Opnieuw proberen: ' + (TARGET[dl.target] || dl.target));
          retry.addEventListener('click', function () {
            retry.disabled = true;
            api('/deliveries/' + dl.id + '/retry', { method: 'POST', body: {} }).then(afterRetry, function (err) { retry.disabled = false; failed(err); });
          });
        }
        var subject = dl.subject || {};
        // what the delivery made (a zaak, a klantcontact): its URLs as links, http(s) only
        var made = Object.keys(dl.state || {}).filter(function (k) { return typeof dl.state[k] === 'string' && /^https?:\/\//.test(dl.state[k]); });
        var cells = [
          el('td', null, TARGET[dl.target] || dl.target,
            made.length ? el('ul', { class: 'made' }, made.map(function (k) { return el('li', null, el('a', { href: dl.state[k], rel: 'noopener noreferrer', target: '_blank' }, k)); })) : null),
          el('td', { class: dl.status === 'failed' ? 'late' : '' }, (dl.status === 'failed' ? '⚠ ' : '') + (DELIVERY_STATUS[dl.status] || dl.status) + (dl.sentAt ? ' (' + date(dl.sentAt) + ')' : '')),
          el('td', null, String(dl.attempts)),
          el('td', { class: 'error-text' }, dl.lastError || '—'),
          el('td', null, dl.status === 'pending' || dl.status === 'sending' ? date(dl.nextAttemptAt) : '—'),
          el('td', null, retry),
        ];
        if (withSubject) {
          var ref = subject.reference || subject.day || '';
          cells.unshift(el('td', null, /^KL-/.test(ref) ? el('a', { href: '#/complaints/' + ref }, ref) : ref || subject.kind));
        }
        return el('tr', { 'data-delivery-row': String(dl.id), 'data-status': dl.status }, cells);
      })),
    ), 'Tabel: verzendingen');
  }

  function actionForm(id, legend, children, onsubmit) {
    return el('form', { id: id, class: 'action', novalidate: true, onsubmit: function (ev) { ev.preventDefault(); onsubmit(); } },
      el('fieldset', null, el('legend', null, legend), children));
  }
  function requireText(input, text) {
    if (!input.value.trim()) {
      setFieldError(input, text);
      input.focus();
      return false;
    }
    setFieldError(input, '');
    return true;
  }

  function assignForm(c) {
    var assignee = el('input', { type: 'text', id: 'assign-assignee', name: 'assignee', value: c.assignee || '', autocomplete: 'off' });
    var dept = el('select', { id: 'assign-department', name: 'department' }, options(pairs(state.meta.departments), c.department || '', 'geen afdeling'));
    var handler = el('input', { type: 'text', id: 'assign-handler', name: 'handler', value: c.handler || '', autocomplete: 'off' });
    var mine = el('button', { type: 'button', id: 'assign-me' }, 'Aan mij toewijzen');
    mine.addEventListener('click', function () { assignee.value = state.me.id; assignee.focus(); });
    return actionForm('assign-form', 'Toewijzen', [
      el('div', { class: 'with-button' }, fieldRow('Klachtenfunctionaris', assignee, 'Gebruikersnaam van de medewerker; leeg = niemand.'), mine),
      fieldRow('Afdeling', dept),
      fieldRow('Klachtbehandelaar', handler, 'Gebruikersnaam van de behandelaar op de afdeling; leeg = niemand.'),
      el('button', { type: 'submit' }, 'Toewijzing opslaan'),
    ], function () {
      change('/assignment', { assignee: assignee.value.trim() || null, department: dept.value || null, handler: handler.value.trim() || null }, 'De toewijzing is opgeslagen.');
    });
  }

  function noteForm(c) {
    var text = el('textarea', { id: 'note-text', name: 'text', maxlength: '5000' });
    // a klachtbehandelaar proposes an outcome; the complaint officer decides
    var proposal = handlerOnly() ? el('select', { id: 'note-proposed-outcome', name: 'proposedOutcome' }, options(pairs(state.meta.outcomes), '', 'geen voorstel')) : null;
    return actionForm('note-form', 'Notitie toevoegen', [
      fieldRow('Notitie', text, 'Bijvoorbeeld: "gebeld, geen gehoor". De status verandert niet.'),
      proposal ? fieldRow('Voorstel voor de uitkomst (niet verplicht)', proposal) : null,
      el('button', { type: 'submit' }, 'Notitie toevoegen'),
    ], function () {
      if (!requireText(text, 'Schrijf een notitie.')) return;
      var body = { text: text.value.trim() };
      if (proposal && proposal.value) body.proposedOutcome = proposal.value;
      change('/notes', body, 'De notitie is toegevoegd.');
    });
  }

  function documentForm(c) {
    var file = el('input', { type: 'file', id: 'doc-file', name: 'file', accept: '.pdf,.png,.jpg,.jpeg,.txt,.eml,.docx' });
    var desc = el('input', { type: 'text', id: 'doc-description', name: 'description', maxlength: '300' });
    return actionForm('document-form', 'Document toevoegen', [
      fieldRow('Bestand', file, 'PDF, PNG, JPEG, tekst, e-mail (.eml) of Word (.docx), hoogstens 10 MB.'),
      fieldRow('Omschrijving (niet verplicht)', desc),
      el('button', { type: 'submit' }, 'Document toevoegen'),
    ], function () {
      var f = file.files && file.files[0];
      if (!f) { setFieldError(file, 'Kies een bestand.'); file.focus(); return; }
      if (f.size > 10 * 1024 * 1024) { setFieldError(file, 'Het bestand is groter dan 10 MB.'); file.focus(); return; }
      setFieldError(file, '');
      var reader = new FileReader();
      reader.onload = function () {
        var data = String(reader.result);
        var base64 = data.slice(data.indexOf(',') + 1);
        change('/documents', { filename: f.name, contentType: f.type || contentTypeOf(f.name), description: desc.value.trim() || undefined, dataBase64: base64 }, 'Het document is toegevoegd.');
      };
      reader.onerror = function () { show('Het bestand kon niet worden gelezen.'); };
      reader.readAsDataURL(f);
    });
  }
  function contentTypeOf(name) {
    var ext = (/\.([a-z0-9]+)$/i.exec(name) || [])[1] || '';
    return { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', txt: 'text/plain', eml: 'message/rfc822', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }[ext.toLowerCase()] || 'application/octet-stream';
  }

  function statusForm(c) {
    var next = (state.meta.transitions && state.meta.transitions[c.status]) || NEXT[c.status] || [];
    var select = el('select', { id: 'new-status', name: 'status' }, next.map(function (s) { return el('option', { value: s }, label('statuses', s)); }));
    var note = el('textarea', { id: 'status-note', name: 'note', maxlength: '2000' });
    var outcome = el('select', { id: 'status-outcome', name: 'outcome' }, options(pairs(state.meta.outcomes), c.outcome || '', 'kies een uitkomst'));
    var ground = el('select', { id: 'status-ground', name: 'outcomeGround' }, options(pairs(state.meta.outcomeGrounds), '', 'kies een grond'));
    var category = el('select', { id: 'status-category', name: 'category' }, options(pairs(state.meta.categories), c.category || '', 'geen categorie'));
    var dept = el('select', { id: 'status-department', name: 'department' }, options(pairs(state.meta.departments), c.department || '', 'geen afdeling'));
    var groundRow = fieldRow('Grond (Awb 9:8)', ground);
    var finalBox = el('div', { id: 'final-fields' },
      fieldRow('Uitkomst', outcome),
      groundRow,
      fieldRow('Categorie', category),
      fieldRow('Afdeling', dept),
    );
    var confirmBox = el('div', { id: 'confirm-final', class: 'confirm', hidden: true });
    var submit = el('button', { type: 'submit', id: 'status-submit' }, 'Status wijzigen');
    function sync() {
      finalBox.hidden = select.value !== 'resolved';
      groundRow.hidden = outcome.value !== 'niet_in_behandeling';
      confirmBox.hidden = true;
      submit.hidden = false;
    }
    select.addEventListener('change', sync);
    outcome.addEventListener('change', sync);
    sync();
    function send() {
      var body = { status: select.value, note: note.value.trim() };
      if (select.value === 'resolved') {
        body.outcome = outcome.value;
        if (outcome.value === 'niet_in_behandeling') body.outcomeGround = ground.value;
      }
      if (category.value) body.category = category.value;
      if (dept.value) body.department = dept.value;
      change('/status', body, 'De status is gewijzigd: ' + label('statuses', select.value) + '.');
    }
    return actionForm('status-form', 'Status wijzigen', [
      fieldRow('Nieuwe status', select),
      fieldRow('Toelichting', note),
      finalBox,
      confirmBox,
      submit,
    ], function () {
      if (!requireText(note, 'Schrijf een toelichting.')) return;
      if (select.value !== 'resolved') return send();
      if (!outcome.value) { setFieldError(outcome, 'Kies een uitkomst.'); outcome.focus(); return; }
      setFieldError(outcome, '');
      if (outcome.value === 'niet_in_behandeling' && !ground.value) { setFieldError(ground, 'Kies de grond.'); ground.focus(); return; }
      setFieldError(ground, '');
      // a final state: ask first
      clear(confirmBox);
      var text = el('p', { id: 'confirm-text' },
        'U gaat klacht ' + c.reference + ' afhandelen met de uitkomst "' + label('outcomes', outcome.value) + '". ' +
        'Daarna kan de klacht alleen nog worden heropend, met een reden. Weet u het zeker?');
      var yes = el('button', { type: 'button', id: 'confirm-yes', 'aria-describedby': 'confirm-text' }, 'Ja, afhandelen');
      var no = el('button', { type: 'button', id: 'confirm-no' }, 'Nee, terug');
      yes.addEventListener('click', send);
      no.addEventListener('click', function () { confirmBox.hidden = true; submit.hidden = false; submit.focus(); });
      append(confirmBox, [text, el('p', { class: 'actions' }, yes, ' ', no)]);
      confirmBox.hidden = false;
      submit.hidden = true;
      yes.focus();
    });
  }

  function reopenForm(c) {
    var reason = el('textarea', { id: 'reopen-reason', name: 'reason', maxlength: '2000' });
    return actionForm('reopen-form', 'Heropenen', [
      el('p', null, 'Deze klacht is afgehandeld. Heropenen zet haar terug in formele afhandeling en wist de uitkomst.'),
      fieldRow('Reden', reason),
      el('button', { type: 'submit' }, 'Klacht heropenen'),
    ], function () {
      if (!requireText(reason, 'Schrijf de reden.')) return;
      change('/reopen', { reason: reason.value.trim() }, 'De klacht is heropend.');
    });
  }

  function extensionForm(c) {
    var why = el('textarea', { id: 'extension-note', name: 'note', maxlength: '2000' });
    return actionForm('extension-form', 'Termijn verdagen', [
      fieldRow('Reden', why, 'Eenmalig 4 weken (Awb 9:11). Laat de inwoner dit schriftelijk weten (brief "Verdaging").'),
      el('button', { type: 'submit' }, 'Termijn verdagen'),
    ], function () {
      if (!requireText(why, 'Schrijf de reden.')) return;
      change('/extension', { note: why.value.trim() }, 'De termijn is met 4 weken verdaagd.');
    });
  }

  function letterForm(c) {
    var kinds = pairs(state.meta.letterKinds);
    var first = kinds[0] ? kinds[0][0] : 'receipt';
    var radios = kinds.map(function (k, i) {
      return el('div', { class: 'field inline' },
        el('input', { type: 'radio', name: 'letter-kind', id: 'letter-' + k[0], value: k[0], checked: i === 0 }),
        el('label', { for: 'letter-' + k[0] }, k[1]));
    });
    var inputs = {
      hearingAt: el('input', { type: 'datetime-local', id: 'letter-hearing-at', name: 'hearingAt' }),
      hearingPlace: el('input', { type: 'text', id: 'letter-hearing-place', name: 'hearingPlace', maxlength: '300' }),
      extensionReason: el('textarea', { id: 'letter-extension-reason', name: 'extensionReason', maxlength: '2000' }),
      findings: el('textarea', { id: 'letter-findings', name: 'findings', maxlength: '2000' }),
      conclusions: el('textarea', { id: 'letter-conclusions', name: 'conclusions', maxlength: '2000' }),
    };
    var rows = {
      hearing: el('div', null, fieldRow('Datum en tijd van het gesprek', inputs.hearingAt), fieldRow('Plaats van het gesprek (niet verplicht)', inputs.hearingPlace)),
      extension: el('div', null, fieldRow('Reden van de verdaging (niet verplicht)', inputs.extensionReason)),
      decision: el('div', null, fieldRow('Bevindingen (niet verplicht)', inputs.findings), fieldRow('Conclusies (niet verplicht)', inputs.conclusions)),
    };
    var group = el('fieldset', { class: 'radios' }, el('legend', null, 'Soort brief'), radios);
    function kind() {
      var checked = group.querySelector('input:checked');
      return checked ? checked.value : first;
    }
    function sync() {
      Object.keys(rows).forEach(function (k) { rows[k].hidden = kind() !== k; });
    }
    group.addEventListener('change', sync);
    var preview = el('button', { type: 'button', id: 'letter-preview' }, 'Voorbeeld bekijken (PDF)');
    var print = el('button', { type: 'button', id: 'letter-print' }, 'Afdrukken');
    var mail = c.contact && c.contact.email ? el('button', { type: 'button', id: 'letter-send' }, 'Versturen per e-mail') : null;
    /** The options of the chosen kind; null when a required one is missing. */
    function letterOptions() {
      var out = {};
      var k = kind();
      if (k === 'hearing') {
        if (!inputs.hearingAt.value) { setFieldError(inputs.hearingAt, 'Vul de datum en tijd in.'); inputs.hearingAt.focus(); return null; }
        setFieldError(inputs.hearingAt, '');
        out.hearingAt = new Date(inputs.hearingAt.value).toISOString();
        if (inputs.hearingPlace.value.trim()) out.hearingPlace = inputs.hearingPlace.value.trim();
      }
      if (k === 'extension' && inputs.extensionReason.value.trim()) out.extensionReason = inputs.extensionReason.value.trim();
      if (k === 'decision') {
        if (inputs.findings.value.trim()) out.findings = inputs.findings.value.trim();
        if (inputs.conclusions.value.trim()) out.conclusions = inputs.conclusions.value.trim();
      }
      return out;
    }
    preview.addEventListener('click', function () {
      var o = letterOptions();
      if (!o) return;
      var p = new URLSearchParams(o).toString();
      saveFile('/complaints/' + encodeURIComponent(c.reference) + '/letters/' + kind() + '.pdf' + (p ? '?' + p : ''), c.reference + '-' + kind() + '.pdf', true)
        .then(function () { show('Het voorbeeld is geopend in een nieuw tabblad.', true); }, failed);
    });
    function store(send) {
      var body = letterOptions();
      if (!body) return;
      body.kind = kind();
      body.send = send;
      var ref = c.reference;
      var tab = send ? null : newTab();
      var used = false;
      change('/letters', body, send ? 'De brief is opgeslagen en wordt per e-mail verstuurd.' : 'De brief is opgeslagen en geopend in een nieuw tabblad om af te drukken.', function (updated) {
        var id = updated && updated.letter && updated.letter.id;
        if (tab && id) {
          used = true;
          saveFile('/letters/' + id + '.pdf', ref + '-brief.pdf', tab).catch(failed);
        }
      }).then(function () {
        // not stored (a colleague's change, an error): the empty tab goes
        if (tab && !used) tab.close();
      });
    }
    print.addEventListener('click', function () { store(false); });
    if (mail) mail.addEventListener('click', function () { store(true); });
    var form = el('form', { id: 'letter-form', class: 'action', onsubmit: function (ev) { ev.preventDefault(); } },
      el('fieldset', null, el('legend', null, 'Brief'),
        group,
        rows.hearing, rows.extension, rows.decision,
        el('p', { class: 'actions' }, preview, ' ', print, ' ', mail),
        mail ? null : el('p', { class: 'hint' }, 'De inwoner gaf geen e-mailadres: druk de brief af en verstuur hem per post.'),
      ));
    sync();
    return form;
  }

  function transcriptSection(c) {
    var download = el('button', { type: 'button', id: 'download' }, 'Download .transcript (Bot Framework Emulator)');
    download.addEventListener('click', function () {
      saveFile('/complaints/' + encodeURIComponent(c.reference) + '/transcript', c.reference + '.transcript').catch(failed);
    });
    return el('section', { id: 'transcript', class: 'no-print', 'aria-labelledby': 'h-transcript' },
      el('h2', { id: 'h-transcript', text: 'Gesprek' }),
      el('p', null, download),
      chat(c.transcript),
    );
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
    if (!activities || activities.length === 0) box.appendChild(el('p', null, 'Geen gesprek opgeslagen (bijvoorbeeld: klacht per telefoon, brief of balie).'));
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

  // ---------- call-backs ----------
  function renderCallbacks(status) {
    clear(main);
    main.appendChild(heading(status === 'done' ? 'Terugbelverzoeken: afgehandeld' : 'Terugbelverzoeken'));
    main.appendChild(el('p', { class: 'actions' },
      status === 'done'
        ? el('a', { href: '#/callbacks', id: 'callbacks-open' }, 'Open verzoeken tonen')
        : el('a', { href: '#/callbacks?status=done', id: 'callbacks-done' }, 'Afgehandelde verzoeken tonen (met notitie)')));
    var tbody = el('tbody', { id: 'callback-rows' });
    var head = status === 'done'
      ? ['Datum', 'Dagdeel', 'Naam', 'Telefoon', 'Taal', 'Onderwerp', 'Gesprek', 'Teruggebeld', 'Notitie']
      : ['Datum', 'Dagdeel', 'Naam', 'Telefoon', 'Taal', 'Onderwerp', 'Gesprek', 'Pogingen', 'Actie'];
    main.appendChild(wide(
      el('table', null,
        el('caption', { class: 'visually-hidden' }, status === 'done' ? 'Afgehandelde terugbelverzoeken' : 'Open terugbelverzoeken'),
        el('thead', null, el('tr', null, head.map(function (h) { return el('th', { scope: 'col' }, h); }))),
        tbody),
      'Tabel: terugbelverzoeken'));
    focusHeading();
    api('/callbacks?status=' + status)
      .then(function (r) {
        if (r.items.length === 0) tbody.appendChild(el('tr', null, el('td', { colspan: String(head.length) }, status === 'done' ? 'Geen afgehandelde terugbelverzoeken.' : 'Geen open terugbelverzoeken.')));
        r.items.forEach(function (cb) { append(tbody, callbackRows(cb, status)); });
      })
      .catch(failed);
  }

  /** A call-back with a complaint links to it; one without has its own conversation to download (and names it). */
  function conversationCell(cb) {
    if (cb.complaintReference) return el('a', { href: '#/complaints/' + cb.complaintReference }, cb.complaintReference);
    var out = [el('span', null, 'Alleen terugbellen' + (cb.reference ? ' (' + cb.reference + ')' : ''))];
    if (cb.conversationId) {
      var btn = el('button', { type: 'button', class: 'link conversation' }, 'Gesprek downloaden');
      btn.setAttribute('aria-label', 'Gesprek downloaden van ' + (cb.reference || 'dit verzoek'));
      btn.addEventListener('click', function () {
        saveFile('/callbacks/' + cb.id + '/transcript', (cb.reference || 'terugbelverzoek-' + cb.id) + '.transcript').catch(failed);
      });
      out.push(el('div', null, btn));
      out.push(el('div', { class: 'hint conversation' }, 'Gesprek: ' + (cb.channel || '') + ' · ' + cb.conversationId));
    }
    return out;
  }

  function callbackRows(cb, status) {
    var late = cb.missed && status === 'open';
    var when = [date(cb.date)];
    if (late) when.push(el('div', { class: 'late missed' }, '⚠ Gemist'));
    var common = [
      el('td', { class: 'nowrap' }, when),
      el('td', null, PART[cb.partOfDay] || cb.partOfDay),
      el('td', null, cb.name),
      el('td', null, cb.phone),
      el('td', { class: 'lang' }, LANG[cb.locale] || cb.locale || '—'),
      el('td', null, cb.topic || '—'),
      el('td', null, conversationCell(cb)),
    ];
    if (status === 'done') {
      return el('tr', { 'data-callback': String(cb.id) }, common,
        el('td', null, (cb.doneBy || '') + (cb.doneAt ? ', ' + date(cb.doneAt) : '') + (cb.lastOutcome || cb.outcome ? ' (' + (CALLBACK_OUTCOME[cb.lastOutcome || cb.outcome] || '') + ')' : '')),
        el('td', { class: 'note' }, cb.note || '—'));
    }
    var attempts = (cb.attempts || 0) + (cb.lastOutcome ? ' (laatst: ' + (CALLBACK_OUTCOME[cb.lastOutcome] || cb.lastOutcome) + ')' : '');
    var formRow = el('tr', { class: 'callback-form-row', hidden: true }, el('td', { colspan: '9' }, callbackForm(cb)));
    var toggle = el('button', { type: 'button', class: 'outcome-toggle', 'aria-expanded': 'false' }, 'Uitkomst vastleggen');
    toggle.setAttribute('aria-label', 'Uitkomst vastleggen voor ' + (cb.reference || 'verzoek ' + cb.id));
    toggle.addEventListener('click', function () {
      formRow.hidden = !formRow.hidden;
      toggle.setAttribute('aria-expanded', String(!formRow.hidden));
      if (!formRow.hidden) formRow.querySelector('input').focus();
    });
    return [
      el('tr', { 'data-callback': String(cb.id), class: late ? 'missed-row' : '' }, common, el('td', null, attempts), el('td', null, toggle)),
      formRow,
    ];
  }

  function callbackForm(cb) {
    var id = 'cb' + cb.id;
    var radios = [['reached', 'Bereikt'], ['not_reached', 'Niet bereikt (later opnieuw proberen)'], ['rescheduled', 'Verzet naar een ander moment']].map(function (o, i) {
      return el('div', { class: 'field inline' },
        el('input', { type: 'radio', name: id + '-outcome', id: id + '-' + o[0], value: o[0], checked: i === 0 }),
        el('label', { for: id + '-' + o[0] }, o[1]));
    });
    var day = el('input', { type: 'date', id: id + '-date', name: 'date' });
    var part = el('select', { id: id + '-part', name: 'partOfDay' }, options([['morning', 'ochtend'], ['afternoon', 'middag']], 'morning', null));
    var note = el('textarea', { id: id + '-note', name: 'note', maxlength: '2000' });
    var later = el('div', { class: 'reschedule', hidden: true }, fieldRow('Nieuwe datum', day), fieldRow('Dagdeel', part));
    var group = el('fieldset', { class: 'radios' }, el('legend', null, 'Uitkomst van het terugbellen'), radios);
    function outcome() {
      var checked = group.querySelector('input:checked');
      return checked ? checked.value : 'reached';
    }
    group.addEventListener('change', function () { later.hidden = outcome() !== 'rescheduled'; });
    return el('form', { class: 'callback-outcome', id: id + '-form', novalidate: true, onsubmit: function (ev) {
        ev.preventDefault();
        var body = { outcome: outcome() };
        if (note.value.trim()) body.note = note.value.trim();
        if (body.outcome === 'rescheduled') {
          if (!day.value) { setFieldError(day, 'Kies een datum.'); day.focus(); return; }
          setFieldError(day, '');
          body.date = day.value;
          body.partOfDay = part.value;
        }
        api('/callbacks/' + cb.id + '/outcome', { method: 'POST', body: body })
          .then(function () {
            renderCallbacks('open');
            show(body.outcome === 'reached' ? 'Gemarkeerd als teruggebeld.' : body.outcome === 'not_reached' ? 'Genoteerd: niet bereikt. Het verzoek blijft open.' : 'Het terugbellen is verzet.', true);
          })
          .catch(failed);
      } },
      group, later, fieldRow('Notitie (niet verplicht)', note),
      el('button', { type: 'submit', class: 'done' }, 'Opslaan'));
  }

  // ---------- manual entry ----------
  var NEW_FIELDS = [
    // [path, label, required]
    ['story', 'Wat is er gebeurd? (de klacht)', true],
    ['incidentDate', 'Wanneer gebeurde het?', false],
    ['incidentDateText', 'Wanneer, in de woorden van de inwoner', false],
    ['place', 'Waar gebeurde het?', true],
    ['person', 'Over wie gaat de klacht?', false],
    ['solution', 'Gewenste oplossing', false],
    ['contact.name', 'Naam', true],
    ['contact.phone', 'Telefoonnummer', false],
    ['contact.street', 'Straat en huisnummer', true],
    ['contact.postcode', 'Postcode', true],
    ['contact.city', 'Woonplaats', true],
    ['contact.email', 'E-mailadres', false],
  ];

  function renderNew() {
    clear(main);
    show('');
    main.appendChild(heading('Klacht invoeren'));
    main.appendChild(el('p', null, 'Voor een klacht die per telefoon, brief, e-mail of aan de balie binnenkwam. Velden met * zijn verplicht.'));
    var summary = el('div', { id: 'error-summary', class: 'error-summary', tabindex: '-1', hidden: true });
    // one key per filled-in form: pressing the button twice files the complaint once
    var idempotencyKey = b64url(crypto.getRandomValues(new Uint8Array(16)));
    main.appendChild(summary);
    var inputs = {};
    function input(path, node) { node.name = path; node.id = 'new-' + path.replace('.', '-'); inputs[path] = node; return node; }
    var manual = ['phone', 'letter', 'email', 'counter'];
    var channels = pairs(state.meta.channels).filter(function (p) { return manual.indexOf(p[0]) >= 0; }).map(function (p, i) {
      return el('div', { class: 'field inline' },
        el('input', { type: 'radio', name: 'channel', id: 'new-channel-' + p[0], value: p[0], checked: i === 0 }),
        el('label', { for: 'new-channel-' + p[0] }, p[1]));
    });
    var received = input('receivedAt', el('input', { type: 'date', value: todayIso(), max: todayIso() }));
    var routeSel = input('route', el('select', null, options(pairs(ROUTE), 'complaint', null)));
    var placeKind = input('placeKind', el('select', null, options(pairs(PLACE), '', 'onbekend')));
    var personKind = input('personKind', el('select', null, options(pairs(PERSON), '', 'onbekend')));
    function row(path, text, node, hint) {
      var req = NEW_FIELDS.filter(function (f) { return f[0] === path; })[0];
      if (req && req[2]) node.setAttribute('aria-required', 'true');
      return fieldRow(text + (req && req[2] ? ' *' : ''), input(path, node), hint);
    }
    var form = el('form', { id: 'new-form', novalidate: true },
      el('fieldset', null, el('legend', null, 'Ontvangst'),
        el('fieldset', { class: 'radios' }, el('legend', null, 'Binnengekomen via *'), channels),
        fieldRow('Ontvangen op *', received, 'De termijnen tellen vanaf deze dag.'),
      ),
      el('fieldset', null, el('legend', null, 'De klacht'),
        fieldRow('Soort', routeSel),
        row('story', 'Wat is er gebeurd? (de klacht)', el('textarea', { maxlength: '5000' }), 'Minstens 10 tekens.'),
        row('incidentDate', 'Wanneer gebeurde het?', el('input', { type: 'date' })),
        row('incidentDateText', 'Wanneer, in de woorden van de inwoner', el('input', { type: 'text', maxlength: '200' }), 'Bijvoorbeeld: "begin oktober". Niet verplicht.'),
        fieldRow('Soort plek', placeKind),
        row('place', 'Waar gebeurde het?', el('input', { type: 'text', maxlength: '300' })),
        fieldRow('Over wie', personKind),
        row('person', 'Over wie gaat de klacht?', el('input', { type: 'text', maxlength: '300' }), 'Naam of functie. Niet verplicht.'),
        row('solution', 'Gewenste oplossing', el('textarea', { maxlength: '2000' }), 'Niet verplicht.'),
      ),
      el('fieldset', null, el('legend', null, 'De inwoner'),
        row('contact.name', 'Naam', el('input', { type: 'text', autocomplete: 'off' })),
        row('contact.phone', 'Telefoonnummer', el('input', { type: 'tel', autocomplete: 'off' }), 'Niet verplicht.'),
        row('contact.street', 'Straat en huisnummer', el('input', { type: 'text', autocomplete: 'off' })),
        row('contact.postcode', 'Postcode', el('input', { type: 'text', autocomplete: 'off' }), 'Bijvoorbeeld: 1182 JR.'),
        row('contact.city', 'Woonplaats', el('input', { type: 'text', autocomplete: 'off' })),
        row('contact.email', 'E-mailadres', el('input', { type: 'email', autocomplete: 'off' }), 'Niet verplicht. Met een e-mailadres gaat de ontvangstbevestiging per e-mail.'),
      ),
      el('button', { type: 'submit', id: 'new-submit' }, 'Klacht opslaan'),
    );
    main.appendChild(form);

    function showErrors(errors) {
      Object.keys(inputs).forEach(function (k) { setFieldError(inputs[k], ''); });
      clear(summary);
      var keys = Object.keys(errors);
      if (keys.length === 0) { summary.hidden = true; return; }
      summary.appendChild(el('h2', { id: 'error-summary-title' }, keys.length === 1 ? 'Er is 1 fout' : 'Er zijn ' + keys.length + ' fouten'));
      summary.appendChild(el('ul', null, keys.map(function (k) {
        var node = inputs[k];
        if (node) setFieldError(node, errors[k]);
        var name = (NEW_FIELDS.filter(function (f) { return f[0] === k; })[0] || [k, k])[1];
        var link = el('a', { href: '#' + (node ? node.id : 'new-form') }, name + (/[?:]$/.test(name) ? ' ' : ': ') + errors[k]);
        link.addEventListener('click', function (ev) { ev.preventDefault(); if (node) node.focus(); });
        return el('li', null, link);
      })));
      summary.hidden = false;
      summary.focus();
    }
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var errors = {};
      NEW_FIELDS.forEach(function (f) { if (f[2] && !inputs[f[0]].value.trim()) errors[f[0]] = FIELD_REASON.required; });
      if (!errors.story && inputs.story.value.trim().length < 10) errors.story = 'Schrijf minstens 10 tekens.';
      if (!received.value) errors.receivedAt = FIELD_REASON.required;
      if (Object.keys(errors).length) return showErrors(errors);
      var v = function (p) { var s = inputs[p].value.trim(); return s === '' ? null : s; };
      var checked = form.querySelector('input[name="channel"]:checked');
      var body = {
        channel: checked ? checked.value : 'phone',
        // today: now; an earlier day: noon of that day (deadlines count from the day of receipt)
        receivedAt: received.value === todayIso() ? new Date().toISOString() : new Date(received.value + 'T12:00:00').toISOString(),
        route: routeSel.value,
        story: v('story'),
        incidentDate: v('incidentDate'),
        incidentDateText: v('incidentDateText') || '',
        placeKind: placeKind.value || null,
        place: v('place'),
        personKind: personKind.value || null,
        person: v('person'),
        solution: v('solution'),
        contact: { name: v('contact.name'), phone: v('contact.phone'), street: v('contact.street'), postcode: v('contact.postcode'), city: v('contact.city'), email: v('contact.email') },
        callback: null,
      };
      if (body.incidentDate) { body.incidentDateFrom = body.incidentDate; body.incidentDateTo = body.incidentDate; }
      api('/complaints', { method: 'POST', body: body, headers: { 'Idempotency-Key': idempotencyKey } })
        .then(function (r) {
          refreshCounts();
          state.flash = 'De klacht is opgeslagen met kenmerk ' + r.reference + '.';
          go('#/complaints/' + r.reference);
        })
        .catch(function (err) {
          if (err instanceof ApiError && err.status === 400) {
            var fields = serverFieldErrors(err.body);
            if (Object.keys(fields).length) { showErrors(fields); show('De klacht is niet opgeslagen: ' + err.message); return; }
          }
          failed(err);
        });
    });
    focusHeading();
  }

  /** Field errors from a 400: `fields` { path: reason }, `issues` [{ path, message }], or "path: reason; …" in message. */
  function serverFieldErrors(body) {
    var out = {};
    if (!body) return out;
    function put(path, reason) {
      var p = Array.isArray(path) ? path.join('.') : String(path);
      if (!p) return;
      out[p] = FIELD_REASON[reason] || reason || FIELD_REASON.invalid;
    }
    if (body.fields && typeof body.fields === 'object') {
      if (Array.isArray(body.fields)) body.fields.forEach(function (f) { put(f.path || f.field, f.message || f.reason); });
      else Object.keys(body.fields).forEach(function (k) { put(k, body.fields[k]); });
    } else if (Array.isArray(body.issues)) {
      body.issues.forEach(function (i) { put(i.path, i.message || i.code); });
    } else if (typeof body.message === 'string') {
      body.message.split(/;\s*/).forEach(function (part) {
        var m = /^([\w.]+):\s*(.+)$/.exec(part.trim());
        if (m) put(m[1], m[2]);
      });
    }
    return out;
  }

  // ---------- annual report ----------
  var REPORT_TABLES = [
    ['byCategory', 'Per categorie', 'categories', 'Categorie'],
    ['byDepartment', 'Per afdeling', 'departments', 'Afdeling'],
    ['byChannel', 'Per kanaal', 'channels', 'Binnengekomen via'],
    ['byOutcome', 'Per uitkomst', 'outcomes', 'Uitkomst'],
    ['byHandling', 'Informeel of formeel', null, 'Afhandeling'],
  ];
  var REFERRAL_LABEL = { objection: 'Bezwaar', 'tax-objection': 'Bezwaar belasting/WOZ', report: 'Melding openbare ruimte (Fixi)', fixi: 'Fixi', damage: 'Schadevergoeding', care: 'Zorgaanbieder', other: 'Anders' };

  function countRows(obj, kind) {
    var list = Array.isArray(obj)
      ? obj.map(function (r) { return [r.key || r.code || r.name || r.label, r.count !== undefined ? r.count : r.value, r.label]; })
      : Object.keys(obj || {}).map(function (k) { var v = obj[k]; return [k, typeof v === 'object' && v ? v.count : v, typeof v === 'object' && v ? v.label : null]; });
    return list.map(function (r) {
      var name = r[2] || (r[0] === '' || r[0] === null || r[0] === 'null' || r[0] === 'none' ? 'Onbekend' : kind ? label(kind, r[0]) : REFERRAL_LABEL[r[0]] || r[0]);
      return el('tr', null, el('th', { scope: 'row' }, name), el('td', { class: 'num' }, String(r[1])));
    });
  }

  function renderReport(yearPart) {
    var year = /^\d{4}$/.test(yearPart || '') ? yearPart : String(new Date().getFullYear());
    if (yearPart !== year) { history.replaceState(null, '', '#/reports/' + year); }
    clear(main);
    show('');
    main.appendChild(heading('Jaarverslag klachten ' + year));
    var yearInput = el('input', { type: 'number', id: 'report-year', name: 'year', min: '2000', max: '2100', value: year, inputmode: 'numeric' });
    main.appendChild(el('form', { id: 'report-form', class: 'no-print', onsubmit: function (ev) { ev.preventDefault(); if (/^\d{4}$/.test(yearInput.value)) go('#/reports/' + yearInput.value); } },
      el('div', { class: 'with-button' }, fieldRow('Jaar', yearInput), el('button', { type: 'submit' }, 'Tonen'))));
    var csv = el('button', { type: 'button', id: 'report-csv' }, 'Download als CSV');
    var pdf = el('button', { type: 'button', id: 'report-pdf' }, 'Download als PDF');
    csv.addEventListener('click', function () { saveFile('/reports/annual.csv?year=' + year, 'jaarverslag-klachten-' + year + '.csv').catch(failed); });
    pdf.addEventListener('click', function () { saveFile('/reports/annual.pdf?year=' + year, 'jaarverslag-klachten-' + year + '.pdf').catch(failed); });
    main.appendChild(el('p', { class: 'actions no-print' }, csv, ' ', pdf));
    var body = el('div', { id: 'report' }, el('p', null, 'Laden…'));
    main.appendChild(body);
    focusHeading();
    api('/reports/annual?year=' + year)
      .then(function (r) {
        clear(body);
        var pct = function (x) { return x === null || x === undefined ? '—' : Math.round(x * 1000) / 10 + '%'; };
        body.appendChild(el('section', { 'aria-labelledby': 'h-report-totals' },
          el('h2', { id: 'h-report-totals' }, 'Kerncijfers'),
          el('dl', { class: 'fields', id: 'report-totals' },
            field('Klachten', String(r.total)),
            r.informal !== undefined ? field('Informele behandeling', String(r.informal)) : null,
            r.formal !== undefined ? field('Formele behandeling', String(r.formal)) : null,
            r.closed !== undefined ? field('Afgehandeld', String(r.closed)) : null,
            r.withinTermShare !== undefined ? field('Binnen de termijn afgehandeld', pct(r.withinTermShare)) : null,
            r.medianDaysToClose !== undefined ? field('Mediaan doorlooptijd', r.medianDaysToClose === null ? '—' : r.medianDaysToClose + ' dagen') : null,
          )));
        REPORT_TABLES.forEach(function (t) {
          if (!r[t[0]]) return;
          var id = 'h-report-' + t[0];
          body.appendChild(el('section', { 'aria-labelledby': id, class: 'report-part' },
            el('h2', { id: id }, t[1]),
            el('div', { class: 'pair' },
              el('table', { class: 'counts-table', id: 'report-' + t[0] },
                el('thead', null, el('tr', null, el('th', { scope: 'col' }, t[3]), el('th', { scope: 'col', class: 'num' }, 'Aantal'))),
                el('tbody', null, countRows(r[t[0]], t[2]))),
              chart(t[0], t[1], year))));
        });
        if (r.byReferral || r.referrals) {
          body.appendChild(el('section', { 'aria-labelledby': 'h-report-referrals', class: 'report-part' },
            el('h2', { id: 'h-report-referrals' }, 'Doorverwezen (geen klacht)'),
            el('p', null, 'Berichten die geen klacht waren en naar een andere procedure zijn verwezen. Ze tellen niet mee in de klachten hierboven.'),
            el('div', { class: 'pair' },
              el('table', { class: 'counts-table', id: 'report-referrals' },
                el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Verwezen naar'), el('th', { scope: 'col', class: 'num' }, 'Aantal'))),
                el('tbody', null, countRows(r.byReferral || r.referrals, null))),
              r.byReferral ? chart('byReferral', 'Doorverwezen', year) : null)));
        }
        announce('Het jaarverslag ' + year + ' is geladen.');
      })
      .catch(function (err) {
        clear(body);
        body.appendChild(el('p', null, 'Het jaarverslag is nu niet beschikbaar.'));
        failed(err);
      });
  }

  var CHART_NAME = { byCategory: 'category', byDepartment: 'department', byChannel: 'channel', byOutcome: 'outcome', byHandling: 'handling', byReferral: 'referrals' };
  /** The server-rendered SVG chart as an image (fetched with the token); the table above is its text alternative. */
  function chart(key, title, year) {
    var fig = el('figure', { class: 'chart' });
    var caption = el('figcaption', null, 'Grafiek: ' + title.toLowerCase() + ' (de cijfers staan ook in de tabel).');
    api('/reports/annual/' + CHART_NAME[key] + '.svg?year=' + year, { raw: true })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        fig.insertBefore(el('img', { src: url, alt: 'Staafdiagram ' + title.toLowerCase() + ' in ' + year + '; de cijfers staan ook in de tabel ernaast.', class: 'chart-img' }), caption);
      })
      .catch(function () { fig.hidden = true; });
    fig.appendChild(caption);
    return fig;
  }

  // ---------- deliveries ----------
  function renderDeliveries(status) {
    clear(main);
    show('');
    main.appendChild(heading('Verzending'));
    main.appendChild(el('p', null, 'Wat na het indienen wordt verstuurd: e-mails, zaken in het zaaksysteem, klantcontacten. Mislukte verzendingen kunt u opnieuw laten proberen.'));
    var sel = el('select', { id: 'deliveries-status', name: 'status' }, options([['failed', 'Mislukt'], ['pending', 'Wacht op verzending'], ['sent', 'Verzonden']], status, null));
    main.appendChild(el('form', { id: 'deliveries-filter', onsubmit: function (ev) { ev.preventDefault(); go('#/deliveries?status=' + sel.value); } },
      el('div', { class: 'with-button' }, fieldRow('Status', sel), el('button', { type: 'submit' }, 'Tonen'))));
    var box = el('div', { id: 'deliveries-list' }, el('p', null, 'Laden…'));
    main.appendChild(box);
    focusHeading();
    api('/deliveries?status=' + encodeURIComponent(status))
      .then(function (r) {
        clear(box);
        if (!r.items.length) return box.appendChild(el('p', null, 'Geen verzendingen met deze status.'));
        box.appendChild(deliveryTable(r.items, function () { renderDeliveries(status); show('De verzending wordt opnieuw geprobeerd.', true); }, true));
      })
      .catch(function (err) { clear(box); box.appendChild(el('p', null, 'De verzendingen zijn nu niet te zien.')); failed(err); });
  }

  // ---------- mail templates ----------
  function renderMail(id, locale) {
    clear(main);
    show('');
    main.appendChild(heading('E-mailteksten'));
    main.appendChild(el('p', null, 'Voorbeelden van de e-mails die de gemeente verstuurt, met een verzonnen klacht.'));
    var box = el('div', { id: 'mail-preview' });
    var list = el('div', { id: 'mail-templates' }, el('p', null, 'Laden…'));
    main.appendChild(list);
    main.appendChild(box);
    focusHeading();
    api('/mail/templates')
      .then(function (templates) {
        var items = Array.isArray(templates) ? templates : (templates && templates.items) || [];
        clear(list);
        if (!items.length) return list.appendChild(el('p', null, 'Geen sjablonen.'));
        var tpl = el('select', { id: 'mail-template', name: 'template' }, items.map(function (t) { return el('option', { value: t.id, selected: t.id === id }, t.description || t.id); }));
        var lang = el('select', { id: 'mail-locale', name: 'locale' }, options([['nl', 'Nederlands'], ['en', 'Engels']], locale === 'en' ? 'en' : 'nl', null));
        list.appendChild(el('form', { id: 'mail-form', onsubmit: function (ev) { ev.preventDefault(); go('#/mail/' + encodeURIComponent(tpl.value) + '?locale=' + lang.value); } },
          el('div', { class: 'with-button' }, fieldRow('Sjabloon', tpl), fieldRow('Taal', lang), el('button', { type: 'submit' }, 'Voorbeeld tonen'))));
        if (!id) return;
        return api('/mail/preview/' + encodeURIComponent(id) + '?locale=' + (locale === 'en' ? 'en' : 'nl')).then(function (p) {
          var frame = el('iframe', { title: 'Opgemaakte versie van de e-mail', sandbox: '', class: 'mail-html' });
          frame.srcdoc = p.html || '';
          append(box, [
            el('h2', { id: 'h-mail-preview' }, 'Voorbeeld'),
            el('dl', { class: 'fields' },
              field('Onderwerp', el('span', { id: 'mail-subject' }, p.subject)),
              p.attachments && p.attachments.length ? field('Bijlagen', p.attachments.map(function (a) { return a.filename || a.name; }).join(', ')) : null),
            el('h3', null, 'Tekstversie'),
            el('pre', { id: 'mail-text', class: 'mail-text' }, p.text),
            p.html ? el('h3', null, 'Opgemaakte versie') : null,
            p.html ? el('p', { class: 'hint' }, 'Hieronder zonder opmaak (de beveiliging van deze pagina laat de stijlen van de e-mail niet toe). ', htmlDownload(id, locale, p.html)) : null,
            p.html ? frame : null,
          ]);
        });
      })
      .catch(function (err) { clear(list); list.appendChild(el('p', null, 'De e-mailteksten zijn nu niet te zien.')); failed(err); });
  }

  /** The HTML version as a file, to open with its own styles. */
  function htmlDownload(id, locale, html) {
    var btn = el('button', { type: 'button', class: 'link', id: 'mail-html-download' }, 'Download de opgemaakte versie (HTML)');
    btn.addEventListener('click', function () {
      var url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
      var a = el('a', { href: url, download: 'voorbeeld-' + id + '-' + (locale === 'en' ? 'en' : 'nl') + '.html' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    });
    return btn;
  }

  // ---------- audit ----------
  function renderAudit() {
    clear(main);
    show('');
    main.appendChild(heading('Auditlog'));
    var tbody = el('tbody', { id: 'audit-rows' });
    main.appendChild(wide(
      el('table', null,
        el('caption', { class: 'visually-hidden' }, 'Auditlog, nieuwste eerst'),
        el('thead', null, el('tr', null, ['Wanneer', 'Wie', 'Via', 'Actie', 'Kenmerken'].map(function (h) { return el('th', { scope: 'col' }, h); }))),
        tbody),
      'Tabel: auditlog'));
    focusHeading();
    api('/audit?limit=200')
      .then(function (r) {
        r.items.forEach(function (e) {
          tbody.appendChild(el('tr', null, el('td', null, date(e.at)), el('td', null, e.actor), el('td', null, e.via), el('td', null, e.action),
            el('td', null, e.references.map(function (ref, i) {
              return [i ? ', ' : '', /^KL-/.test(ref) ? el('a', { href: '#/complaints/' + ref }, ref) : ref];
            }))));
        });
      })
      .catch(failed);
  }

  // ---------- start ----------
  document.addEventListener('DOMContentLoaded', function () {
    main = document.getElementById('main');
    message = document.getElementById('message');
    announcer = document.getElementById('announce');
    setChrome(false);
    document.getElementById('sign-out').addEventListener('click', function () { signOut('U bent uitgelogd.'); });
    window.addEventListener('hashchange', function () { route(); });
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
