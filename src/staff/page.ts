/**
 * Serves the staff page: /staff (HTML), /staff/staff.js, /staff/staff.css and /staff/config.json (how
 * to sign in; no secrets). The page builds every element with DOM methods and puts what citizens typed
 * in with textContent only; a strict Content-Security-Policy (no inline script or style) is a second
 * line of defence. Views are hash routes (#/complaints/KL-…), so one HTML document serves them all.
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import type restify from 'restify';
import type { Logger } from '../logger';
import type { StaffAuth } from './auth';

/** The assets live next to this file in src/staff/page; compiled code runs from dist/src/staff. */
function pageDir(): string {
  const candidates = [path.join(__dirname, 'page'), path.resolve(__dirname, '../../../src/staff/page')];
  const found = candidates.find((d) => existsSync(path.join(d, 'index.html')));
  if (!found) throw new Error(`staff page assets not found in ${candidates.join(' or ')}`);
  return found;
}

const ASSETS: Record<string, string> = {
  'staff.js': 'text/javascript; charset=utf-8',
  'staff.css': 'text/css; charset=utf-8',
};

export function servePage(server: restify.Server, auth: StaffAuth, log: Logger): void {
  const dir = pageDir();
  const files = new Map<string, string>();
  for (const name of ['index.html', ...Object.keys(ASSETS)]) files.set(name, readFileSync(path.join(dir, name), 'utf8'));

  const securityHeaders = (connect: string[]) => ({
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      // blob: the report's SVG charts, fetched with the bearer token and shown as images
      "img-src 'self' blob:",
      `connect-src 'self' ${connect.join(' ')}`.trim(),
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  });

  const html: restify.RequestHandler = (_req, res, next) => {
    auth
      .signInConfig()
      .then((cfg) => {
        const connect = cfg.oidc ? [new URL(cfg.oidc.tokenEndpoint).origin] : [];
        res.sendRaw(200, files.get('index.html'), { 'Content-Type': 'text/html; charset=utf-8', ...securityHeaders(connect) });
      })
      .catch((err: Error) => {
        log.error({ event: 'staff.page', err: { message: err.message } }, 'staff page failed');
        res.send(500, { error: 'internal' });
      })
      .finally(() => next());
  };
  server.get('/staff', html);
  server.get('/staff/', html);

  for (const [name, type] of Object.entries(ASSETS)) {
    server.get(`/staff/${name}`, (_req, res, next) => {
      res.sendRaw(200, files.get(name), { 'Content-Type': type, ...securityHeaders([]) });
      next();
    });
  }

  server.get('/staff/config.json', (_req, res, next) => {
    auth
      .signInConfig()
      .then((cfg) => res.send(200, cfg, { 'Cache-Control': 'no-store' }))
      .catch(() => res.send(500, { error: 'internal' }))
      .finally(() => next());
  });
}
