/**
 * Bulk loading for benchmarks in SQLite: multi-row INSERTs in one transaction per call; the search
 * index is rebuilt once at the end (its triggers are off meanwhile; should the load stop half-way,
 * the next openStore puts them back and rebuilds the index, see prepareSearch).
 */
import type { BulkLoader, SeedComplaint } from '../types';
import type { Db } from './db';
import { REBUILD_SEARCH, SEARCH_TRIGGERS } from './migrations';

export class SqliteBulkLoader implements BulkLoader {
  private triggersDropped = false;

  constructor(private readonly db: Db) {}

  async load(complaints: SeedComplaint[]): Promise<void> {
    await this.db.transaction(async () => {
      if (!this.triggersDropped) {
        await this.db.exec(`DROP TRIGGER IF EXISTS complaint_search_filed; DROP TRIGGER IF EXISTS complaint_search_said;
          DROP TRIGGER IF EXISTS complaint_search_deleted;`);
        this.triggersDropped = true;
      }
      const activities = complaints.flatMap((c) => c.transcript);
      for (let k = 0; k < activities.length; k += 400) {
        const chunk = activities.slice(k, k + 400);
        await this.db.run(
          `INSERT INTO transcript_activities (channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data) VALUES ${chunk.map(() => '(?,?,?,?,?,?,?,?)').join(',')}`,
          chunk.flatMap((a) => [a.channelId, a.conversationId, a.activityId, a.type, a.role, a.timestamp, a.loggedAt, a.data]),
        );
      }
      for (let k = 0; k < complaints.length; k += 200) {
        const chunk = complaints.slice(k, k + 200);
        await this.db.run(
          `INSERT INTO complaints (reference, idempotency_key, status, route, locale, channel, conversation_id, story,
             incident_date, incident_date_text, place_kind, place, person_kind, person, solution,
             name, phone, street, postcode, city, email, created_at, updated_at,
             category, department, outcome, intake_channel)
           VALUES ${chunk.map(() => `(${Array(27).fill('?').join(',')})`).join(',')}`,
          chunk.flatMap((c) => [
            c.reference, c.idempotencyKey, c.status, c.route, c.locale, c.channel, c.conversationId, c.story,
            null, c.incidentDateText, c.placeKind, c.place, c.personKind, c.person, null,
            c.name, c.phone, c.street, c.postcode, c.city, null, c.createdAt, c.createdAt,
            c.category ?? null, c.department ?? null, c.outcome ?? null, c.intakeChannel ?? 'chat',
          ]),
        );
      }
      const resolved = complaints.filter((c) => c.resolvedAt || c.extendedAt);
      for (let k = 0; k < resolved.length; k += 300) {
        const chunk = resolved.slice(k, k + 300);
        await this.db.run(
          `INSERT INTO complaint_handling (complaint_id, resolved_at, extended_at)
           SELECT c.id, v.column2, v.column3 FROM (VALUES ${chunk.map(() => '(?, ?, ?)').join(',')}) v JOIN complaints c ON c.reference = v.column1`,
          chunk.flatMap((c) => [c.reference, c.resolvedAt, c.extendedAt ?? null]),
        );
      }
      const handled = complaints.filter((c) => c.handledAs);
      for (let k = 0; k < handled.length; k += 300) {
        const chunk = handled.slice(k, k + 300);
        await this.db.run(
          `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at)
           SELECT c.id, 'status', 'received', v.column2, 'bench', '', v.column3
             FROM (VALUES ${chunk.map(() => '(?, ?, ?)').join(',')}) v JOIN complaints c ON c.reference = v.column1`,
          chunk.flatMap((c) => [c.reference, c.handledAs, c.createdAt]),
        );
      }
    });
  }

  async finish(): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.exec(REBUILD_SEARCH);
      await this.db.exec(SEARCH_TRIGGERS);
    });
    this.triggersDropped = false;
    await this.db.exec('ANALYZE; PRAGMA optimize;');
  }
}
