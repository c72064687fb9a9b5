/*
 * The chat page: gets a Direct Line token from this server (never a secret), renders Web Chat in
 * the chosen language and switches between Dutch and English. Plain ES2017, no build step.
 * A conversation survives a page reload within the browser tab (sessionStorage).
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('page-config').textContent);
  var texts = config.texts;
  var theme = config.theme;
  var params = new URLSearchParams(window.location.search);
  var lang = params.get('lang') || safeGet('klachtbot.lang') || config.lang;
  if (lang !== 'en') lang = 'nl';
  var usePolling = params.get('transport') === 'polling';

  var chatElement = document.getElementById('webchat');
  var statusElement = document.getElementById('chat-status');
  var switchButton = document.getElementById('lang-switch');

  var directLine = null;
  var store = null;
  var botHasSpoken = false;

  function safeGet(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function safeSet(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (e) {
      /* storage may be unavailable (private mode); the chat works without it */
    }
  }

  function webChatLocale() {
    return lang === 'en' ? 'en-US' : 'nl-NL';
  }

  function setStatus(text) {
    statusElement.textContent = text || '';
  }

  function applyTexts() {
    var t = texts[lang];
    var other = lang === 'en' ? 'nl' : 'en';
    document.documentElement.lang = lang;
    document.title = t.docTitle;
    Array.prototype.forEach.call(document.querySelectorAll('[data-t]'), function (el) {
      el.textContent = t[el.getAttribute('data-t')];
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-t-aria]'), function (el) {
      el.setAttribute('aria-label', t[el.getAttribute('data-t-aria')]);
    });
    switchButton.textContent = t.switchTo;
    switchButton.setAttribute('lang', other);
    switchButton.setAttribute('data-lang', other);
  }

  function styleOptions() {
    return {
      accent: theme.link,
      primaryFont: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
      rootHeight: '100%',
      rootWidth: '100%',
      backgroundColor: '#ffffff',
      bubbleBackground: '#f3f5f7',
      bubbleBorderColor: '#d0d0d0',
      bubbleBorderRadius: 8,
      bubbleTextColor: '#1a1a1a',
      bubbleFromUserBackground: theme.primary,
      bubbleFromUserBorderColor: theme.primary,
      bubbleFromUserBorderRadius: 8,
      bubbleFromUserTextColor: theme.onPrimary,
      subtle: '#595959',
      timestampColor: '#595959',
      suggestedActionLayout: 'flow',
      suggestedActionBackgroundColor: '#ffffff',
      suggestedActionBorderColor: theme.link,
      suggestedActionBorderRadius: 4,
      suggestedActionBorderWidth: 2,
      suggestedActionTextColor: theme.link,
      suggestedActionHeight: 44,
      sendBoxButtonColor: theme.link,
      sendBoxButtonColorOnHover: theme.link,
      hideUploadButton: true,
      // Raw HTML in a message is shown as text, never as elements: what the citizen typed and the bot
      // says back stays text (markdown itself still renders: bold, lists, the bot's own links).
      markdownRenderHTML: false,
    };
  }

  function createStore() {
    return window.WebChat.createStore({}, function () {
      return function (next) {
        return function (action) {
          if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') setStatus('');
          if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') setStatus(texts[lang].unavailable);
          if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
            var a = action.payload && action.payload.activity;
            if (a && a.from && a.from.role === 'bot') botHasSpoken = true;
          }
          return next(action);
        };
      };
    });
  }

  function render() {
    window.WebChat.renderWebChat(
      { directLine: directLine, store: store, locale: webChatLocale(), styleOptions: styleOptions() },
      chatElement,
    );
  }

  function remember(session) {
    safeSet('klachtbot.chat', session ? JSON.stringify(session) : null);
  }

  function savedSession() {
    try {
      var s = JSON.parse(safeGet('klachtbot.chat') || 'null');
      // a saved token must have a few minutes left
      if (s && s.token && s.conversationId && s.domain && s.expiresAt > Date.now() + 5 * 60 * 1000) return s;
    } catch (e) {
      /* ignore a damaged entry */
    }
    return null;
  }

  function fetchToken() {
    return fetch('/api/directline/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ locale: webChatLocale() }),
    }).then(function (res) {
      if (!res.ok) throw new Error('token request failed: ' + res.status);
      return res.json();
    });
  }

  function connect(session, resumed) {
    var dl = window.WebChat.createDirectLine({
      domain: session.domain,
      token: session.token,
      conversationId: resumed ? session.conversationId : undefined,
      webSocket: !usePolling,
      conversationStartProperties: { locale: webChatLocale() },
    });
    directLine = dl;
    store = createStore();
    botHasSpoken = resumed;
    render();
    if (resumed) {
      var subscription = dl.connectionStatus$.subscribe(function (status) {
        // 4: failed to connect, 5: ended (e.g. the conversation expired): start a new one
        if ((status === 4 || status === 5) && dl === directLine) {
          subscription.unsubscribe();
          remember(null);
          start();
        }
      });
    }
  }

  function start() {
    var saved = savedSession();
    if (saved) {
      connect(saved, true);
      return;
    }
    fetchToken()
      .then(function (t) {
        var session = { token: t.token, conversationId: t.conversationId, domain: t.domain, expiresAt: Date.now() + t.expires_in * 1000 };
        remember(session);
        connect(session, false);
      })
      .catch(function () {
        setStatus(texts[lang].unavailable);
      });
  }

  switchButton.addEventListener('click', function () {
    lang = lang === 'en' ? 'nl' : 'en';
    safeSet('klachtbot.lang', lang);
    applyTexts();
    if (!store) return;
    render();
    // Tell the bot too, so it continues in the new language where it was.
    if (botHasSpoken) store.dispatch({ type: 'WEB_CHAT/SEND_MESSAGE', payload: { text: texts[lang].languageCommand, method: 'keyboard' } });
  });

  window.addEventListener('pagehide', function () {
    var saved = savedSession();
    // directlinejs refreshes its token; keep the newest one for a reload
    if (saved && directLine && directLine.token && directLine.token !== saved.token) {
      saved.token = directLine.token;
      saved.expiresAt = Date.now() + 15 * 60 * 1000;
      remember(saved);
    }
  });

  applyTexts();
  if (!window.WebChat) {
    setStatus(texts[lang].unavailable);
    return;
  }
  start();
})();
