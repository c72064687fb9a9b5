/**
 * Bulk loading for benchmarks on PostgreSQL (Store.bulk, optional in src/store/types.ts): one
 * transaction per call, every table filled with INSERT ... SELECT FROM unnest(...) per 5,000 rows.
 * The search documents are made as the complaints are loaded (the same words as searchIndex.ts);
 * `finish` fills the transcript registry and runs ANALYZE.
 */
import type { BulkLoader, SeedComplaint } from '../types';
import type { PgDb } from './db';
import { citizenText, lexemes } from './searchIndex';

const ROWS = 5000;

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export class PgBulkLoader implements BulkLoader {
  constructor(private readonly db: PgDb) {}

  async load(complaints: SeedComplaint[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const rows of chunks(complaints.flatMap((c) => c.transcript), ROWS)) {
        await this.db.run(
          `INSERT INTO transcript_activities (channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data)
           SELECT channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
             WITH ORDINALITY AS r(channel_id, conversation_id, activity_id, type, role, timestamp, logged_at, data, n) ORDER BY n`,
          [
            rows.map((r) => r.channelId), rows.map((r) => r.conversationId), rows.map((r) => r.activityId), rows.map((r) => r.type),
            rows.map((r) => r.role), rows.map((r) => r.timestamp), rows.map((r) => r.loggedAt), rows.map((r) => r.data),
          ],
          tx,
        );
      }
      for (const rows of chunks(complaints, ROWS)) {
        const col = <K extends keyof SeedComplaint>(k: K) => rows.map((c) => c[k]);
        const inserted = await this.db.query<{ id: number; reference: string }>(
          `INSERT INTO complaints (reference, idempotency_key, status, route, locale, channel, conversation_id, story,
             incident_date_text, place_kind, place, person_kind, person, name, phone, street, postcode, city, created_at, updated_at,
             category, department, outcome, intake_channel)
           SELECT reference, idempotency_key, status, route, locale, channel, conversation_id, story,
                  incident_date_text, place_kind, place, person_kind, person, name, phone, street, postcode, city, created_at, created_at,
                  category, department, outcome, intake_channel
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                         $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[],
                         $20::text[], $21::text[], $22::text[], $23::text[])
             WITH ORDINALITY AS r(reference, idempotency_key, status, route, locale, channel, conversation_id, story,
                  incident_date_text, place_kind, place, person_kind, person, name, phone, street, postcode, city, created_at,
                  category, department, outcome, intake_channel, n)
            ORDER BY n
           RETURNING id, reference`,
          [
            col('reference'), col('idempotencyKey'), col('status'), col('route'), col('locale'), col('channel'), col('conversationId'), col('story'),
            col('incidentDateText'), col('placeKind'), col('place'), col('personKind'), col('person'), col('name'), col('phone'), col('street'),
            col('postcode'), col('city'), col('createdAt'),
            rows.map((c) => c.category ?? null), rows.map((c) => c.department ?? null), rows.map((c) => c.outcome ?? null),
            rows.map((c) => c.intakeChannel ?? 'chat'),
          ],
          tx,
        );
        const ids = new Map(inserted.map((r) => [r.reference, r.id]));
        const docs = rows.map((c) => lexemes([c.story, ...c.transcript.map((e) => citizenText(e) ?? '')]));
        await this.db.run(
          `INSERT INTO complaint_search (complaint_id, document)
           SELECT id, array_to_tsvector(ARRAY(SELECT json_array_elements_text(doc))) FROM unnest($1::bigint[], $2::json[]) AS r(id, doc)`,
          [rows.map((c) => ids.get(c.reference)), docs.map((d) => JSON.stringify(d))],
          tx,
        );
        const resolved = rows.filter((c) => c.resolvedAt || c.extendedAt);
        if (resolved.length > 0) {
          await this.db.run(
            'INSERT INTO complaint_handling (complaint_id, resolved_at, extended_at) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])',
            [resolved.map((c) => ids.get(c.reference)), resolved.map((c) => c.resolvedAt), resolved.map((c) => c.extendedAt ?? null)],
            tx,
          );
        }
        const handled = rows.filter((c) => c.handledAs);
        if (handled.length > 0) {
          await this.db.run(
            `INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, actor, note, at)
             SELECT id, 'status', 'received', to_status, 'bench', '', at FROM unnest($1::bigint[], $2::text[], $3::text[]) AS r(id, to_status, at)`,
            [handled.map((c) => ids.get(c.reference)), handled.map((c) => c.handledAs), handled.map((c) => c.createdAt)],
            tx,
          );
        }
      }
    });
  }

  async finish(): Promise<void> {
    await this.db.run(
      `INSERT INTO transcripts (channel_id, conversation_id, created_at, last_activity_at)
       SELECT channel_id, conversation_id, min(logged_at), max(logged_at) FROM transcript_activities GROUP BY channel_id, conversation_id
       ON CONFLICT (channel_id, conversation_id) DO UPDATE SET last_activity_at = excluded.last_activity_at`,
    );
    await this.db.run('ANALYZE');
  }
}
