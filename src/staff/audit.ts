/**
 * The audit log: every read and change of a complaint, transcript or call-back request, by whom and
 * when. It holds references, actions, counts and filter names, never complaint content (no story,
 * contact details, notes or search text), so it may outlive the complaints it mentions.
 */
import type { AuditRepository, Tx } from '../store/types';
import { AuditEntrySchema, type AuditEntry } from './schemas';

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
  constructor(private readonly repo: AuditRepository, private readonly clock: () => Date = () => new Date()) {}

  /**
   * Records one entry; with `tx`, inside that transaction, so the change and its audit entry commit
   * together (and a read that cannot be audited fails).
   */
  record(actor: Actor, rec: AuditRecord, tx?: Tx): Promise<number> {
    return this.repo.record(
      {
        at: this.clock().toISOString(),
        actor: actor.id,
        via: actor.via,
        action: rec.action,
        references: [...new Set(rec.references ?? [])],
        detail: rec.detail ?? {},
      },
      tx,
    );
  }

  async list(q: AuditQuery = {}): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const rows = await this.repo.list({
      ...(q.reference ? { reference: q.reference } : {}),
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.before ? { beforeId: q.before } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => AuditEntrySchema.parse(r)),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    };
  }
}
