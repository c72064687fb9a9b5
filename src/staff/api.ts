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
import { servePage } from './page';
import { CallbackDoneSchema, ExtensionSchema, StatusChangeSchema } from './schemas';
import { isReference, StaffError } from './service';

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
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) {
    throw new StaffError(400, 'invalid_body', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

function reference(req: restify.Request): string {
  const ref = String(req.params?.reference ?? '').toUpperCase();
  if (!isReference(ref)) throw new StaffError(404, 'not_found', 'no complaint with this reference');
  return ref;
}

/**
 * Wraps a staff API handler: authentication (401/403), no caching, errors in the one JSON shape
 * `{ error, message }`. Other modules (deliveries, letters, reports) register their routes with it.
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
            res.send(err.status, { error: err.code });
          } else if (err instanceof StaffError) {
            res.send(err.status, { error: err.code, message: err.message });
          } else {
            log.error({ event: 'staff.api', route: req.getRoute?.()?.path, err: { message: (err as Error)?.message } }, 'staff API failed');
            res.send(500, { error: 'internal' });
          }
        })
        .finally(() => next());
    };
}

export function registerStaffRoutes(server: restify.Server, staff: Staff, log: Logger): void {
  const { service } = staff;
  const api = staffApiHandler(staff, log);

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
        }),
      };
    }),
  );

  server.get('/staff/api/complaints/:reference', api(async (req, who) => ({ body: await service.get(who, reference(req)) })));

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
      const { status, note } = body(StatusChangeSchema, req);
      return { body: await service.changeStatus(who, ref, status, note) };
    }),
  );

  server.post(
    '/staff/api/complaints/:reference/extension',
    api(async (req, who) => {
      const ref = reference(req);
      const { note } = body(ExtensionSchema, req);
      return { body: await service.extend(who, ref, note) };
    }),
  );

  server.get(
    '/staff/api/callbacks',
    api(async (req, who) => {
      const status = query(req).status || 'open';
      if (status !== 'open' && status !== 'done') throw new StaffError(400, 'invalid_query', 'status: open or done');
      return { body: { items: await service.callbacks(who, status) } };
    }),
  );

  server.post(
    '/staff/api/callbacks/:id/done',
    api(async (req, who) => {
      const id = Number(req.params?.id);
      if (!Number.isSafeInteger(id) || id <= 0) throw new StaffError(404, 'not_found', 'no call-back request with this id');
      const { note } = body(CallbackDoneSchema, req);
      await service.markCallbackDone(who, id, note);
      return { body: { id, status: 'done' } };
    }),
  );

  server.get(
    '/staff/api/audit',
    api(async (req, who) => {
      const q = query(req);
      const before = int(q.cursor);
      const limit = int(q.limit);
      if ((before !== undefined && !Number.isSafeInteger(before)) || (limit !== undefined && !Number.isSafeInteger(limit))) {
        throw new StaffError(400, 'invalid_query', 'cursor and limit are whole numbers');
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

  servePage(server, staff.auth, log);
}
