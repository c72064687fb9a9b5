/**
 * The staff HTTP API under /staff/api (JSON) and the staff page under /staff. Every API route needs a
 * bearer token (see auth.ts): none or unusable 401, no staff role 403. Responses are never cached.
 * Contract: src/staff/README.md.
 */
import type restify from 'restify';
import { z } from 'zod';
import { toEmulatorTranscript } from '../bot/transcriptStore';
import type { Logger } from '../logger';
import { AuthError, type Principal } from './auth';
import type { Staff } from './index';
import { registerCsvExportRoutes } from './csvExport';
import { registerMailRoutes } from './mailApi';
import { servePage } from './page';
import {
  AssignmentSchema,
  CallbackDoneSchema,
  CallbackOutcomeSchema,
  DocumentUploadSchema,
  ExtensionSchema,
  NoteSchema,
  ReopenSchema,
  StatusChangeSchema,
} from './schemas';
import { errorMessage, isReference, StaffError, validationError } from './service';

export type StaffHandler = (req: restify.Request, who: Principal) => Promise<StaffReply>;
export type StaffReply = { status?: number; body: unknown; headers?: Record<string, string> } | { status?: number; raw: string | Buffer; headers: Record<string, string> };

function query(req: restify.Request): Record<string, string> {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (typeof v === 'string') out[k] = v;
  return out;
}

const bool = (v: string | undefined): boolean | undefined =>
  v === undefined || v === '' ? undefined : ['1', 'true', 'yes'].includes(v.toLowerCase());

const int = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

function body<T extends z.ZodTypeAny>(schema: T, req: restify.Request): z.infer<T> {
  const raw: unknown = req.body ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new StaffError(400, 'invalid_body');
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError('invalid_body', parsed.error.issues);
  return parsed.data;
}

function reference(req: restify.Request): string {
  const ref = String(req.params?.reference ?? '').toUpperCase();
  if (!isReference(ref)) throw new StaffError(404, 'not_found', errorMessage('complaint_not_found'));
  return ref;
}

/**
 * The version a change is based on, from `If-Match: "<version>"` (a weak tag W/"3" counts too).
 * Missing (or '*'): 428; not a version of ours: it cannot match, so 412 like a stale one.
 */
export function ifMatch(req: restify.Request): number {
  const header = req.header('if-match');
  if (!header || header.trim() === '*') throw new StaffError(428, 'precondition_required');
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  return m ? Number(m[1]) : -1;
}

/** A complaint as an answer: its version as ETag. */
function complaintReply(detail: { version: number }, status = 200): StaffReply {
  return { status, body: detail, headers: { ETag: `"${detail.version}"` } };
}

const AUTH_MESSAGES: Record<string, string> = {};

/** The Dutch message of an authentication failure. */
function authMessage(code: string): string {
  return (AUTH_MESSAGES[code] ??= errorMessage(code));
}

/** restify's own errors (body parser, unknown route, wrong method) as the one shape, for /staff/api/*. */
const RESTIFY_ERRORS: Record<number, string> = {
  400: 'invalid_json',
  404: 'route_not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export function uniformErrors(server: restify.Server): void {
  server.prependListener('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number; toJSON?: () => unknown }) => {
    if (!(req.path?.() ?? req.url ?? '').startsWith('/staff/api')) return;
    const status = err.statusCode ?? 500;
    const code = RESTIFY_ERRORS[status] ?? (status >= 500 ? 'internal' : 'invalid_body');
    const message = errorMessage(code);
    err.toJSON = () => ({ error: code, message });
    // the listener in server.ts logs and lets restify send it
  });
}

/**
 * Wraps a staff API handler: authentication (401/403), no caching, errors in the one JSON shape
 * `{ error, message }` (Dutch), with `fields` for invalid input and `current` for a stale change.
 * Other modules (deliveries, letters, reports) register their routes with it.
 */
export function staffApiHandler(staff: Staff, log: Logger): (handler: StaffHandler) => restify.RequestHandler {
  const { auth } = staff;
  return (handler: StaffHandler): restify.RequestHandler =>
    (req, res, next) => {
      res.header('Cache-Control', 'no-store');
      res.header('X-Content-Type-Options', 'nosniff');
      auth
        .authenticate(req.header('authorization'))
        .then((who) => handler(req, who))
        .then((reply) => {
          if ('raw' in reply) res.sendRaw(reply.status ?? 200, reply.raw, reply.headers);
          else res.send(reply.status ?? 200, reply.body, reply.headers ?? {});
        })
        .catch((err: unknown) => {
          if (err instanceof AuthError) {
            if (err.status === 401) res.header('WWW-Authenticate', `Bearer realm="staff", error="invalid_token"`);
            res.send(err.status, { error: err.code, message: authMessage(err.code) });
          } else if (err instanceof StaffError) {
            const current = err.extra?.current as { version?: number } | undefined;
            if (current?.version) res.header('ETag', `"${current.version}"`);
            res.send(err.status, { error: err.code, message: err.message, ...(err.extra ?? {}) });
          } else {
            log.error({ event: 'staff.api', route: req.getRoute?.()?.path, err: { message: (err as Error)?.message } }, 'staff API failed');
            res.send(500, { error: 'internal', message: errorMessage('internal') });
          }
        })
        .finally(() => next());
    };
}

export function registerStaffRoutes(server: restify.Server, staff: Staff, log: Logger): void {
  const { service } = staff;
  const api = staffApiHandler(staff, log);
  uniformErrors(server);

  server.get('/staff/api/me', api(async (_req, who) => ({ body: { id: who.id, via: who.via, roles: who.roles } })));

  server.get(
    '/staff/api/complaints',
    api(async (req, who) => {
      const q = query(req);
      return {
        body: await service.list(who, {
          status: (q.status || undefined) as never,
          route: (q.route || undefined) as never,
          from: q.from || undefined,
          to: q.to || undefined,
          overdue: bool(q.overdue),
          q: q.q || undefined,
          limit: int(q.limit),
          cursor: q.cursor || undefined,
          assignee: q.assignee || undefined,
          department: q.department || undefined,
          channel: (q.channel || undefined) as never,
          sort: (q.sort || undefined) as never,
          dueWithinDays: int(q.dueWithinDays),
        }),
      };
    }),
  );

  server.post(
    '/staff/api/complaints',
    api(async (req, who) => {
      const raw: unknown = req.body ?? {};
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new StaffError(400, 'invalid_body');
      const key = req.header('idempotency-key') || undefined;
      const { reference: ref } = await service.enter(who, raw, key);
      return { status: 201, body: { reference: ref }, headers: { Location: `/staff/api/complaints/${ref}` } };
    }),
  );

  server.get('/staff/api/counts', api(async (_req, who) => ({ body: await service.counts(who) })));
  server.get('/staff/api/meta', api(async () => ({ body: service.meta() })));

  server.get('/staff/api/complaints/:reference', api(async (req, who) => complaintReply(await service.get(who, reference(req)))));

  server.get(
    '/staff/api/complaints/:reference/transcript',
    api(async (req, who) => {
      const ref = reference(req);
      const activities = await service.transcript(who, ref);
      return {
        raw: toEmulatorTranscript(activities),
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Disposition': `attachment; filename="${ref}.transcript"`,
        },
      };
    }),
  );

  server.post(
    '/staff/api/complaints/:reference/status',
    api(async (req, who) => {
      const ref = reference(req);
      const version = ifMatch(req);
      const b = body(StatusChangeSchema, req);
      return complaintReply(await service.changeStatus(who, ref, b.status, b.note, { ...b, version }));
    }),
  );

  server.post(
    '/staff/api/complaints/:reference/extension',
    api(async (req, who) => {
      const ref = reference(req);
      const version = ifMatch(req);
      const { note } = body(ExtensionSchema, req);
      return complaintReply(await service.extend(who, ref, note, version));
    }),
  );

  server.post(
    '/staff/api/complaints/:reference/reopen',
    api(async (req, who) => {
      const ref = reference(req);
      const version = ifMatch(req);
      const { reason } = body(ReopenSchema, req);
      return complaintReply(await service.reopen(who, ref, reason, version));
    }),
  );

  server.post(
    '/staff/api/complaints/:reference/assignment',
    api(async (req, who) => {
      const ref = reference(req);
      const version = ifMatch(req);
      return complaintReply(await service.assign(who, ref, body(AssignmentSchema, req), version));
    }),
  );

  server.post(
    '/staff/api/complaints/:reference/notes',
    api(async (req, who) => {
      const ref = reference(req);
      const version = ifMatch(req);
      const { text, proposedOutcome } = body(NoteSchema, req);
      return complaintReply(await service.addNote(who, ref, text, { version, proposedOutcome }));
    }),
  );

  server.post(
    '/staff/api/complaints/:reference/documents',
    api(async (req, who) => {
      const ref = reference(req);
      const version = ifMatch(req);
      return complaintReply(await service.addDocument(who, ref, body(DocumentUploadSchema, req), version));
    }),
  );

  server.get(
    '/staff/api/complaints/:reference/documents/:id',
    api(async (req, who) => {
      const ref = reference(req);
      const id = Number(req.params?.id);
      if (!Number.isSafeInteger(id) || id <= 0) throw new StaffError(404, 'not_found', errorMessage('document_not_found'));
      const doc = await service.document(who, ref, id);
      const ascii = doc.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return {
        raw: doc.content,
        headers: {
          'Content-Type': doc.contentType,
          'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`,
        },
      };
    }),
  );

  server.get(
    '/staff/api/callbacks',
    api(async (req, who) => {
      const status = query(req).status || 'open';
      if (status !== 'open' && status !== 'done') throw new StaffError(400, 'invalid_query', `${errorMessage('invalid_query')} status: open, done.`);
      return { body: { items: await service.callbacks(who, status) } };
    }),
  );

  const callbackId = (req: restify.Request): number => {
    const id = Number(req.params?.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new StaffError(404, 'not_found', errorMessage('callback_not_found'));
    return id;
  };

  server.get(
    '/staff/api/callbacks/:id/transcript',
    api(async (req, who) => {
      const id = callbackId(req);
      const activities = await service.callbackTranscript(who, id);
      return {
        raw: toEmulatorTranscript(activities),
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="terugbellen-${id}.transcript"` },
      };
    }),
  );

  server.post(
    '/staff/api/callbacks/:id/done',
    api(async (req, who) => {
      const id = callbackId(req);
      const { note } = body(CallbackDoneSchema, req);
      await service.markCallbackDone(who, id, note);
      return { body: { id, status: 'done' } };
    }),
  );

  server.post(
    '/staff/api/callbacks/:id/outcome',
    api(async (req, who) => {
      const id = callbackId(req);
      const o = body(CallbackOutcomeSchema, req);
      await service.callbackOutcome(who, id, o);
      return { body: { id, outcome: o.outcome, status: o.outcome === 'reached' ? 'done' : 'open' } };
    }),
  );

  server.get(
    '/staff/api/audit',
    api(async (req, who) => {
      const q = query(req);
      const before = int(q.cursor);
      const limit = int(q.limit);
      if ((before !== undefined && !Number.isSafeInteger(before)) || (limit !== undefined && !Number.isSafeInteger(limit))) {
        throw new StaffError(400, 'invalid_query');
      }
      const result = await staff.audit.list({
        reference: q.reference ? q.reference.toUpperCase() : undefined,
        actor: q.actor || undefined,
        action: q.action || undefined,
        limit,
        before,
      });
      await staff.audit.record(who, {
        action: 'audit.list',
        detail: { count: result.items.length, filters: { reference: Boolean(q.reference), actor: Boolean(q.actor), action: q.action ?? null } },
      });
      return { body: result };
    }),
  );

  registerCsvExportRoutes(server, staff, log);
  registerMailRoutes(server, staff, log);
  servePage(server, staff.auth, log);
}
