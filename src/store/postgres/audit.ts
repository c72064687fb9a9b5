/** The audit log on PostgreSQL: audit_log plus audit_subjects (the references an entry is about). */
import { toAuditRow } from '../rows';
import type { AuditFilter, AuditRecordInput, AuditRepository, AuditRow, Tx } from '../types';
import type { PgDb } from './db';

export class PgAudit implements AuditRepository {
  constructor(private readonly db: PgDb) {}

  async record(entry: AuditRecordInput, tx?: Tx): Promise<number> {
    const refs = [...new Set(entry.references)];
    const detail = JSON.stringify(entry.detail ?? {});
    const params = [entry.at, entry.actor, entry.via, entry.action, detail];
    if (refs.length === 0) {
      const row = await this.db.one<{ id: number }>('INSERT INTO audit_log (at, actor, via, action, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id', params, tx);
      return row!.id;
    }
    // entry and subjects in one statement (atomic without a transaction)
    const row = await this.db.one<{ id: number }>(
      `WITH entry AS (INSERT INTO audit_log (at, actor, via, action, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id),
            subjects AS (INSERT INTO audit_subjects (audit_id, reference) SELECT entry.id, r FROM entry, unnest($6::text[]) AS r)
       SELECT id FROM entry`,
      [...params, refs],
      tx,
    );
    return row!.id;
  }

  async list(f: AuditFilter, tx?: Tx): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.reference) where.push(`a.id IN (SELECT audit_id FROM audit_subjects WHERE reference = ${p(f.reference)})`);
    if (f.actor) where.push(`a.actor = ${p(f.actor)}`);
    if (f.action) where.push(`a.action = ${p(f.action)}`);
    if (f.beforeId !== undefined) where.push(`a.id < ${p(f.beforeId)}`);
    const rows = await this.db.query<{ id: number; at: string; actor: string; via: string; action: string; detail: string; refs: string[] }>(
      `SELECT a.id, a.at, a.actor, a.via, a.action, a.detail,
              ARRAY(SELECT s.reference FROM audit_subjects s WHERE s.audit_id = a.id) AS refs
         FROM audit_log a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.id DESC LIMIT ${p(f.limit)}`,
      params,
      tx,
    );
    return rows.map((r) => toAuditRow(r, r.refs));
  }

  async count(filter: { action?: string } = {}, tx?: Tx): Promise<number> {
    const row = filter.action
      ? await this.db.one<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE action = $1', [filter.action], tx)
      : await this.db.one<{ n: number }>('SELECT count(*) AS n FROM audit_log', [], tx);
    return row?.n ?? 0;
  }
}
