/**
 * The citizen's chat page: GET / (Dutch, or English with ?lang=en), its assets, and the token
 * endpoint the page calls. Web Chat comes from the installed npm package (no CDN). The page never
 * sees a Direct Line secret: it asks this server for a token, which the server makes itself
 * (built-in Direct Line) or exchanges at Azure's Direct Line with the secret (DIRECTLINE_ENDPOINT).
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import { gzipSync } from 'zlib';
import type restify from 'restify';
import type { Logger } from '../logger';
import type { Municipality } from '../municipality';
import { PAGE_TEXTS, type PageLang, type PageTextKey } from './texts';
import { contrast, readableOn } from './colours';

/** Gives the page a Direct Line token and the domain to use it with. */
export interface TokenSource {
  /** the Direct Line origin(s) the page connects to, for the Content-Security-Policy */
  connectSources(origin: string): string[];
  issue(req: restify.Request, locale: string | undefined): Promise<PageToken>;
}

export interface PageToken {
  token: string;
  conversationId: string;
  expires_in: number;
  /** Direct Line base URL, e.g. http://localhost:3978/v3/directline */
  domain: string;
}

export class PageError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface WebPageOptions {
  server: restify.Server;
  municipality: Municipality;
  tokens: TokenSource;
  log: Logger;
  /** the page's own origin as the browser sees it */
  origin: (req: restify.Request) => string;
}

/** The project root (where package.json is), from src/web or dist/src/web. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`package.json not found above ${from}`);
}

interface Asset {
  type: string;
  body: Buffer;
  gzip?: Buffer;
  maxAge: number;
}

function loadAssets(m: Municipality): Map<string, () => Asset> {
  const root = projectRoot();
  const assets = new Map<string, () => Asset>();
  const lazy = (make: () => Asset) => {
    let cached: Asset | undefined;
    return () => (cached ??= make());
  };
  const file = (rel: string, type: string, maxAge: number, gzip = false) =>
    lazy(() => {
      const body = readFileSync(path.join(root, rel));
      return { type, body, gzip: gzip ? gzipSync(body) : undefined, maxAge };
    });
  assets.set('/assets/webchat.js', file('node_modules/botframework-webchat/dist/webchat.js', 'application/javascript; charset=utf-8', 86400, true));
  assets.set('/assets/page.js', file('src/web/assets/page.js', 'application/javascript; charset=utf-8', 300));
  assets.set('/assets/page.css', file('src/web/assets/page.css', 'text/css; charset=utf-8', 300));
  assets.set('/assets/theme.css', lazy(() => ({ type: 'text/css; charset=utf-8', body: Buffer.from(themeCss(m)), maxAge: 300 })));
  return assets;
}

export interface Theme {
  primary: string;
  /** text on the primary colour */
  onPrimary: string;
  /** links and outlined buttons on white */
  link: string;
  /** focus ring */
  focus: string;
}

/** The gemeente's colours, with text colours adjusted where needed to keep WCAG AA contrast. */
export function theme(m: Municipality): Theme {
  const { primaryColor, primaryTextColor, accentColor } = m.branding;
  const onPrimary = contrast(primaryTextColor, primaryColor) >= 4.5 ? primaryTextColor : readableOn(primaryColor);
  const link = contrast(primaryColor, '#ffffff') >= 4.5 ? primaryColor : '#1a1a1a';
  // the accent only marks focus, where 3:1 against the background suffices
  const focus = contrast(accentColor, '#ffffff') >= 3 ? accentColor : link;
  return { primary: primaryColor, onPrimary, link, focus };
}

export function themeCss(m: Municipality): string {
  const t = theme(m);
  return `:root {\n  --primary: ${t.primary};\n  --on-primary: ${t.onPrimary};\n  --link: ${t.link};\n  --focus: ${t.focus};\n}\n`;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function fill(text: string, m: Municipality, lang: PageLang): string {
  return text.replace(/\{(name|phone|hours)\}/g, (_, k: string) => (k === 'name' ? m.name : k === 'phone' ? m.phone : m.officeHours[lang]));
}

/** All page texts with the gemeente's facts filled in, per language. */
export function pageTexts(m: Municipality): Record<PageLang, Record<PageTextKey, string>> {
  const out = {} as Record<PageLang, Record<PageTextKey, string>>;
  for (const lang of ['nl', 'en'] as const) {
    out[lang] = {} as Record<PageTextKey, string>;
    for (const [k, v] of Object.entries(PAGE_TEXTS[lang])) out[lang][k as PageTextKey] = fill(v, m, lang);
  }
  return out;
}

export function renderPage(m: Municipality, lang: PageLang): string {
  const texts = pageTexts(m);
  const t = texts[lang];
  const other: PageLang = lang === 'nl' ? 'en' : 'nl';
  const config = {
    lang,
    texts,
    phone: m.phone,
    theme: theme(m),
    shortName: m.shortName,
  };
  // JSON in a non-executed script element; '<' escaped so no text can close the element
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const T = (key: PageTextKey) => `<span data-t="${key}">${esc(t[key])}</span>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(t.docTitle)}</title>
<link rel="stylesheet" href="/assets/theme.css">
<link rel="stylesheet" href="/assets/page.css">
</head>
<body>
<a class="skip-link" href="#chat">${T('skip')}</a>
<header class="site-header">
  <div class="wrap header-row">
    <p class="brand"><a href="${esc(m.urls.website)}">${esc(m.name)}</a></p>
    <nav aria-label="${esc(t.langNav)}" data-t-aria="langNav">
      <button type="button" id="lang-switch" class="lang-switch" lang="${other}" data-lang="${other}">${esc(t.switchTo)}</button>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
  <h1>${T('title')}</h1>
  <p class="intro">${T('intro')}</p>
  <div class="notice">
    <p><strong>${T('botNotice')}</strong></p>
    <p>${T('humanLead')} <a href="tel:${esc(m.phoneE164)}">${esc(m.phone)}</a> ${T('humanHours')}</p>
  </div>
  <section id="chat" class="chat" tabindex="-1" aria-labelledby="chat-label">
    <h2 id="chat-label" class="visually-hidden">${T('chatLabel')}</h2>
    <div id="webchat" class="webchat"></div>
    <p id="chat-status" class="chat-status" role="status">${T('loading')}</p>
    <noscript><p class="chat-status">${esc(t.noscript)}</p></noscript>
  </section>
  <p class="privacy">${T('privacyLead')} <a href="${esc(m.urls.privacy)}">${T('privacyLink')}</a></p>
</main>
<footer class="site-footer">
  <div class="wrap"><p><a href="${esc(m.urls.contact)}">${T('footerContact')}</a> · <a href="tel:${esc(m.phoneE164)}">${esc(m.phone)}</a></p></div>
</footer>
<script id="page-config" type="application/json">${json}</script>
<script src="/assets/webchat.js" defer></script>
<script src="/assets/page.js" defer></script>
</body>
</html>
`;
}

export function attachWebPage(opts: WebPageOptions): void {
  const { server, municipality, tokens, log } = opts;
  const assets = loadAssets(municipality);
  const pages: Record<PageLang, string> = { nl: renderPage(municipality, 'nl'), en: renderPage(municipality, 'en') };

  server.get('/', (req, res, next) => {
    const lang: PageLang = req.query?.lang === 'en' ? 'en' : 'nl';
    let origin: string;
    try {
      origin = opts.origin(req);
    } catch {
      res.send(400, { error: 'invalid Host header' });
      return next();
    }
    const connect = ["'self'", ...tokens.connectSources(origin)].join(' ');
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Security-Policy':
        `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; ` +
        `font-src 'self' data:; connect-src ${connect}; media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(pages[lang]);
    return next();
  });

  server.get('/assets/:name', (req, res, next) => {
    const get = assets.get(`/assets/${String(req.params?.name ?? '')}`);
    if (!get) {
      res.send(404, { error: 'not found' });
      return next();
    }
    let asset: Asset;
    try {
      asset = get();
    } catch (err) {
      log.error({ event: 'web.asset', err: { message: (err as Error).message } }, 'asset missing');
      res.send(500, { error: 'asset missing' });
      return next();
    }
    const gzip = asset.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzip! : asset.body;
    res.writeHead(200, {
      'Content-Type': asset.type,
      'Content-Length': body.length,
      'Cache-Control': `public, max-age=${asset.maxAge}`,
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(body);
    return next();
  });

  server.post('/api/directline/token', (req, res, next) => {
    const raw = (req.body as { locale?: unknown } | undefined)?.locale;
    const locale = typeof raw === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(raw) && raw.length <= 35 ? raw : undefined;
    res.header('Cache-Control', 'no-store');
    tokens
      .issue(req, locale)
      .then((t) => res.send(200, t))
      .catch((err: Error) => {
        if (err instanceof PageError) {
          if (err.retryAfterSeconds) res.header('Retry-After', String(err.retryAfterSeconds));
          res.send(err.status, { error: err.message });
        } else {
          log.error({ event: 'web.token', err: { message: err.message } }, 'token for the page failed');
          res.send(502, { error: 'chat not available' });
        }
      })
      .finally(() => next());
  });
}
