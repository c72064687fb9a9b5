/**
 * The audit log: every read and change of a complaint, transcript or call-back request, by whom and
 * when. It holds references, actions, counts and filter names, never complaint content (no story,
 * contact details, notes or search text), so it may outlive the complaints it mentions.
 */
import type { Db, Migration } from '../store/db';
import { AuditEntrySchema, type AuditEntry } from './schemas';

export const AUDIT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        via TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_actor ON audit_log(actor, id);
      CREATE INDEX audit_log_action ON audit_log(action, id);
      CREATE TABLE audit_subjects (
        audit_id INTEGER NOT NULL REFERENCES audit_log(id),
        reference TEXT NOT NULL,
        PRIMARY KEY (reference, audit_id)
      ) WITHOUT ROWID;
    `,
  },
];

/** Who is acting: a signed-in officer, an API token, an operator at the command line, or the system. */
export interface Actor {
  /** shown as "who" in history and audit log: a user name, `token:<name>` or `cli:<os user>` */
  id: string;
  via: AuditEntry['via'];
}

export interface AuditRecord {
  action: string;
  references?: string[];
  detail?: Record<string, unknown>;
}

export interface AuditQuery {
  reference?: string;
  actor?: string;
  action?: string;
  limit?: number;
  /** entries with an id below this one (paging, newest first) */
  before?: number;
}

export class AuditLog {
  constructor(private readonly db: Db, private readonly clock: () => Date = () => new Date()) {}

  async init(): Promise<this> {
    await this.db.migrate('audit', AUDIT_MIGRATIONS);
    return this;
  }

  /** Records one entry in its own transaction. */
  record(actor: Actor, rec: AuditRecord): Promise<number> {
    return this.db.transaction(() => this.recordInTransaction(actor, rec));
  }

  /** Records one entry; call inside a transaction, so the change and its audit entry commit together. */
  async recordInTransaction(actor: Actor, rec: AuditRecord): Promise<number> {
    const { lastID } = await this.db.run('INSERT INTO audit_log (at, actor, via, action, detail) VALUES (?, ?, ?, ?, ?)', [
      this.clock().toISOString(),
      actor.id,
      actor.via,
      rec.action,
      JSON.stringify(rec.detail ?? {}),
    ]);
    const refs = [...new Set(rec.references ?? [])];
    if (refs.length > 0) {
      await this.db.run(
        `INSERT INTO audit_subjects (audit_id, reference) VALUES ${refs.map(() => '(?, ?)').join(', ')}`,
        refs.flatMap((r) => [lastID, r]),
      );
    }
    return lastID;
  }

  async list(q: AuditQuery = {}): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.reference) {
      where.push('a.id IN (SELECT audit_id FROM audit_subjects WHERE reference = ?)');
      params.push(q.reference);
    }
    if (q.actor) {
      where.push('a.actor = ?');
      params.push(q.actor);
    }
    if (q.action) {
      where.push('a.action = ?');
      params.push(q.action);
    }
    if (q.before) {
      where.push('a.id < ?');
      params.push(q.before);
    }
    const rows = await this.db.all<{ id: number; at: string; actor: string; via: string; action: string; detail: string; refs: string | null }>(
      `SELECT a.id, a.at, a.actor, a.via, a.action, a.detail,
              (SELECT json_group_array(reference) FROM audit_subjects s WHERE s.audit_id = a.id) AS refs
         FROM audit_log a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.id DESC LIMIT ?`,
      [...params, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) =>
        AuditEntrySchema.parse({
          id: r.id,
          at: r.at,
          actor: r.actor,
          via: r.via,
          action: r.action,
          references: r.refs ? (JSON.parse(r.refs) as string[]).sort() : [],
          detail: JSON.parse(r.detail),
        }),
      ),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    };
  }
}
