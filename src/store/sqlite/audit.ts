/** The audit log in SQLite: audit_log plus audit_subjects (the references an entry is about). */
import { toAuditRow } from '../rows';
import type { AuditFilter, AuditRecordInput, AuditRepository, AuditRow, Tx } from '../types';
import type { Sql } from './sql';

export class SqliteAudit implements AuditRepository {
  constructor(private readonly sql: Sql) {}

  record(entry: AuditRecordInput, tx?: Tx): Promise<number> {
    return this.sql.atomic(tx, async (t) => {
      const { lastID } = await this.sql.run(
        'INSERT INTO audit_log (at, actor, via, action, detail) VALUES (?, ?, ?, ?, ?)',
        [entry.at, entry.actor, entry.via, entry.action, JSON.stringify(entry.detail ?? {})],
        t,
      );
      const refs = [...new Set(entry.references)];
      if (refs.length > 0) {
        await this.sql.run(
          `INSERT INTO audit_subjects (audit_id, reference) VALUES ${refs.map(() => '(?, ?)').join(', ')}`,
          refs.flatMap((r) => [lastID, r]),
          t,
        );
      }
      return lastID;
    });
  }

  async list(f: AuditFilter, tx?: Tx): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.reference) {
      where.push('a.id IN (SELECT audit_id FROM audit_subjects WHERE reference = ?)');
      params.push(f.reference);
    }
    if (f.actor) {
      where.push('a.actor = ?');
      params.push(f.actor);
    }
    if (f.action) {
      where.push('a.action = ?');
      params.push(f.action);
    }
    if (f.beforeId !== undefined) {
      where.push('a.id < ?');
      params.push(f.beforeId);
    }
    const rows = await this.sql.all<{ id: number; at: string; actor: string; via: string; action: string; detail: string; refs: string | null }>(
      `SELECT a.id, a.at, a.actor, a.via, a.action, a.detail,
              (SELECT json_group_array(reference) FROM audit_subjects s WHERE s.audit_id = a.id) AS refs
         FROM audit_log a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.id DESC LIMIT ?`,
      [...params, f.limit],
      tx,
    );
    return rows.map((r) => toAuditRow(r, r.refs ? (JSON.parse(r.refs) as string[]) : []));
  }

  async count(filter: { action?: string } = {}, tx?: Tx): Promise<number> {
    const row = filter.action
      ? await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE action = ?', [filter.action], tx)
      : await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM audit_log', [], tx);
    return row?.n ?? 0;
  }
}
