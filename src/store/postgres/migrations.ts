/**
 * PostgreSQL migrations, per module (the same modules as SQLite's, src/store/sqlite/migrations.ts),
 * with the same tables and columns, written for PostgreSQL:
 * - ids are BIGINT identity columns (returned as numbers, see db.ts); instants are ISO text, as on
 *   SQLite, so they compare and sort the same; Direct Line times are BIGINT epoch milliseconds;
 * - the staff search is a table of tsvectors (complaint_search) with a GIN index, filled by the
 *   repositories from src/store/search.ts's words (see staff.ts), instead of FTS5 and triggers.
 * Each module's versions start at 1 here: a PostgreSQL database has no history from before.
 * Every text column has collation "C" (byte order, as SQLite's BINARY): keys, ids and ISO instants
 * then sort and compare the same on both backends, whatever the database's default locale.
 */
import type { Migration } from './db';
import { PG_LETTER_MIGRATIONS } from './letters';
import { PG_REFERRAL_MIGRATIONS } from './referrals';

export const PG_COMPLAINT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE callbacks (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        idempotency_key TEXT COLLATE "C" NOT NULL UNIQUE,
        reference TEXT COLLATE "C" NOT NULL CONSTRAINT callbacks_reference UNIQUE,
        topic TEXT COLLATE "C",
        complaint_reference TEXT COLLATE "C",
        name TEXT COLLATE "C" NOT NULL,
        phone TEXT COLLATE "C" NOT NULL,
        date TEXT COLLATE "C" NOT NULL,
        part_of_day TEXT COLLATE "C" NOT NULL,
        locale TEXT COLLATE "C" NOT NULL,
        channel TEXT COLLATE "C" NOT NULL,
        conversation_id TEXT COLLATE "C" NOT NULL,
        status TEXT COLLATE "C" NOT NULL DEFAULT 'open',
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX callbacks_open ON callbacks(status, date, part_of_day, id);
      CREATE INDEX callbacks_conversation ON callbacks(channel, conversation_id);
      CREATE INDEX callbacks_complaint_reference ON callbacks(complaint_reference);
      CREATE INDEX callbacks_created ON callbacks(created_at);
      CREATE TABLE complaints (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        reference TEXT COLLATE "C" NOT NULL CONSTRAINT complaints_reference UNIQUE,
        idempotency_key TEXT COLLATE "C" NOT NULL UNIQUE,
        status TEXT COLLATE "C" NOT NULL DEFAULT 'received',
        route TEXT COLLATE "C" NOT NULL,
        locale TEXT COLLATE "C" NOT NULL,
        channel TEXT COLLATE "C" NOT NULL,
        conversation_id TEXT COLLATE "C" NOT NULL,
        story TEXT COLLATE "C" NOT NULL,
        incident_date TEXT COLLATE "C",
        incident_date_from TEXT COLLATE "C",
        incident_date_to TEXT COLLATE "C",
        incident_date_text TEXT COLLATE "C" NOT NULL,
        place_kind TEXT COLLATE "C",
        place TEXT COLLATE "C" NOT NULL,
        person_kind TEXT COLLATE "C",
        person TEXT COLLATE "C",
        solution TEXT COLLATE "C",
        name TEXT COLLATE "C" NOT NULL,
        phone TEXT COLLATE "C",
        street TEXT COLLATE "C" NOT NULL,
        postcode TEXT COLLATE "C",
        city TEXT COLLATE "C" NOT NULL,
        country TEXT COLLATE "C",
        email TEXT COLLATE "C",
        callback_id BIGINT REFERENCES callbacks(id) ON DELETE SET NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX complaints_conversation ON complaints(channel, conversation_id);
      CREATE INDEX complaints_status_created ON complaints(status, created_at DESC, id DESC);
      CREATE INDEX complaints_route_created ON complaints(route, created_at DESC, id DESC);
      CREATE INDEX complaints_created ON complaints(created_at DESC, id DESC);
      CREATE INDEX complaints_callback ON complaints(callback_id);
    `,
  },
];

export const PG_STORAGE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE bot_state (
        key TEXT COLLATE "C" PRIMARY KEY,
        etag BIGINT NOT NULL,
        data TEXT COLLATE "C" NOT NULL,
        channel_id TEXT COLLATE "C",
        conversation_id TEXT COLLATE "C",
        updated_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX bot_state_updated ON bot_state(updated_at);
      CREATE INDEX bot_state_conversation ON bot_state(channel_id, conversation_id);
    `,
  },
];

export const PG_DEDUPE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE processed_activities (
        channel_id TEXT COLLATE "C" NOT NULL,
        conversation_id TEXT COLLATE "C" NOT NULL,
        activity_id TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        state TEXT COLLATE "C" NOT NULL DEFAULT 'done',
        owner TEXT COLLATE "C",
        PRIMARY KEY (channel_id, conversation_id, activity_id)
      );
      CREATE INDEX processed_activities_created ON processed_activities(created_at);
    `,
  },
];

export const PG_TRANSCRIPT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE transcript_activities (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        channel_id TEXT COLLATE "C" NOT NULL,
        conversation_id TEXT COLLATE "C" NOT NULL,
        activity_id TEXT COLLATE "C",
        type TEXT COLLATE "C" NOT NULL,
        role TEXT COLLATE "C",
        timestamp TEXT COLLATE "C" NOT NULL,
        logged_at TEXT COLLATE "C" NOT NULL,
        data TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX transcript_activities_conversation ON transcript_activities(channel_id, conversation_id, seq);
      CREATE TABLE transcripts (
        channel_id TEXT COLLATE "C" NOT NULL,
        conversation_id TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        last_activity_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (channel_id, conversation_id)
      );
      CREATE INDEX transcripts_channel_created ON transcripts(channel_id, created_at, conversation_id);
      CREATE INDEX transcripts_last_activity ON transcripts(last_activity_at);
    `,
  },
];

export const PG_AUDIT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE audit_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        actor TEXT COLLATE "C" NOT NULL,
        via TEXT COLLATE "C" NOT NULL,
        action TEXT COLLATE "C" NOT NULL,
        detail TEXT COLLATE "C" NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_actor ON audit_log(actor, id);
      CREATE INDEX audit_log_action ON audit_log(action, id);
      CREATE TABLE audit_subjects (
        audit_id BIGINT NOT NULL REFERENCES audit_log(id),
        reference TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (reference, audit_id)
      );
      CREATE INDEX audit_subjects_audit ON audit_subjects(audit_id);
    `,
  },
];

export const PG_DIRECTLINE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE directline_keys (
        name TEXT COLLATE "C" PRIMARY KEY,
        value BYTEA NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE TABLE directline_conversations (
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT COLLATE "C" NOT NULL,
        locale TEXT COLLATE "C",
        created_at BIGINT NOT NULL,
        last_active_at BIGINT NOT NULL,
        ended_at BIGINT
      );
      CREATE INDEX directline_conversations_idle ON directline_conversations(last_active_at) WHERE ended_at IS NULL;
      CREATE INDEX directline_conversations_ended ON directline_conversations(ended_at) WHERE ended_at IS NOT NULL;
      CREATE TABLE directline_activities (
        conversation_id TEXT COLLATE "C" NOT NULL,
        seq BIGINT NOT NULL,
        json TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      );
    `,
  },
];

export const PG_STAFF_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE complaint_events (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        complaint_id BIGINT NOT NULL,
        kind TEXT COLLATE "C" NOT NULL,
        from_status TEXT COLLATE "C",
        to_status TEXT COLLATE "C",
        actor TEXT COLLATE "C" NOT NULL,
        note TEXT COLLATE "C" NOT NULL,
        at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);
      CREATE TABLE complaint_handling (
        complaint_id BIGINT PRIMARY KEY,
        extended_at TEXT COLLATE "C",
        resolved_at TEXT COLLATE "C"
      );
      CREATE INDEX complaint_handling_resolved ON complaint_handling(resolved_at);
      CREATE TABLE callback_handling (
        callback_id BIGINT PRIMARY KEY,
        done_by TEXT COLLATE "C" NOT NULL,
        done_at TEXT COLLATE "C" NOT NULL,
        note TEXT COLLATE "C"
      );
      -- The staff search: one document per complaint, the words of its story and of what the citizen
      -- typed (src/store/search.ts), as lexemes without positions. Deleted with the complaint.
      CREATE TABLE complaint_search (
        complaint_id BIGINT PRIMARY KEY REFERENCES complaints(id) ON DELETE CASCADE,
        document TSVECTOR NOT NULL
      );
      CREATE INDEX complaint_search_document ON complaint_search USING GIN (document);
    `,
  },
];

/**
 * The outbox (issue 13): one row per (subject, target), sent by src/delivery/worker.ts; claimed with
 * FOR UPDATE SKIP LOCKED. The same columns as SQLite's; state as JSONB.
 */
export const PG_OUTBOX_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE outbox (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject_kind TEXT COLLATE "C" NOT NULL,
        subject_ref TEXT COLLATE "C" NOT NULL,
        subject_id BIGINT,
        subject_key TEXT COLLATE "C" NOT NULL,
        target TEXT COLLATE "C" NOT NULL,
        status TEXT COLLATE "C" NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT COLLATE "C",
        lease_owner TEXT COLLATE "C",
        lease_until TEXT COLLATE "C",
        last_error TEXT COLLATE "C",
        state JSONB NOT NULL DEFAULT '{}'::jsonb,
        retry_from TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        sent_at TEXT COLLATE "C",
        failed_at TEXT COLLATE "C",
        UNIQUE (subject_key, target)
      );
      CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
      CREATE INDEX outbox_lease ON outbox(status, lease_until);
      CREATE INDEX outbox_subject_ref ON outbox(subject_ref);
      CREATE INDEX outbox_failed ON outbox(status, failed_at);
    `,
  },
];


/**
 * Handling (issue 14), the same columns and tables as SQLite's HANDLING_MIGRATIONS (see there):
 * complaints.version/assignee/department/handler/category/outcome/outcome_ground/intake_channel/received_at,
 * complaint_events.data (the timeline), complaint_documents (bytes in BYTEA), callback_attempts; the
 * search documents get the contact keys (E.164 digits, postcode without space, the reference's code).
 */
export const PG_HANDLING_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      ALTER TABLE complaints
        ADD COLUMN version INTEGER NOT NULL DEFAULT 1,
        ADD COLUMN assignee TEXT COLLATE "C",
        ADD COLUMN department TEXT COLLATE "C",
        ADD COLUMN handler TEXT COLLATE "C",
        ADD COLUMN category TEXT COLLATE "C",
        ADD COLUMN outcome TEXT COLLATE "C",
        ADD COLUMN outcome_ground TEXT COLLATE "C",
        ADD COLUMN intake_channel TEXT COLLATE "C" NOT NULL DEFAULT 'chat',
        ADD COLUMN received_at TEXT COLLATE "C";
      UPDATE complaints SET received_at = created_at;
      CREATE FUNCTION complaints_received_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.received_at IS NULL THEN NEW.received_at := NEW.created_at; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER complaints_received_at BEFORE INSERT ON complaints FOR EACH ROW EXECUTE FUNCTION complaints_received_at();
      CREATE INDEX complaints_assignee ON complaints(assignee, created_at DESC, id DESC);
      CREATE INDEX complaints_handler ON complaints(handler, created_at DESC, id DESC);
      CREATE INDEX complaints_department ON complaints(department, created_at DESC, id DESC);
      CREATE INDEX complaints_open_received ON complaints(status, received_at);
      ALTER TABLE complaint_events ADD COLUMN data TEXT COLLATE "C";
      CREATE TABLE complaint_documents (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        complaint_id BIGINT NOT NULL,
        filename TEXT COLLATE "C" NOT NULL,
        content_type TEXT COLLATE "C" NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT COLLATE "C" NOT NULL,
        description TEXT COLLATE "C",
        created_by TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        content BYTEA NOT NULL
      );
      CREATE INDEX complaint_documents_complaint ON complaint_documents(complaint_id, id);
      CREATE TABLE callback_attempts (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        callback_id BIGINT NOT NULL,
        at TEXT COLLATE "C" NOT NULL,
        actor TEXT COLLATE "C" NOT NULL,
        outcome TEXT COLLATE "C" NOT NULL,
        note TEXT COLLATE "C",
        date TEXT COLLATE "C",
        part_of_day TEXT COLLATE "C"
      );
      CREATE INDEX callback_attempts_callback ON callback_attempts(callback_id, id);
      UPDATE complaint_search s
         SET document = s.document || array_to_tsvector(array_remove(ARRAY[
               lower(replace(c.phone, '+', '')), lower(replace(c.postcode, ' ', '')), lower(substr(c.reference, 9))], NULL))
        FROM complaints c WHERE c.id = s.complaint_id;
    `,
  },
  {
    // due soon starts from the extended complaints (few)
    version: 2,
    sql: `CREATE INDEX complaint_handling_extended ON complaint_handling(extended_at);`,
  },
];

/** In the order they are applied (staff's search table refers to complaints). */
export const PG_MODULES: [string, Migration[]][] = [
  ['complaints', PG_COMPLAINT_MIGRATIONS],
  ['storage', PG_STORAGE_MIGRATIONS],
  ['dedupe', PG_DEDUPE_MIGRATIONS],
  ['transcripts', PG_TRANSCRIPT_MIGRATIONS],
  ['audit', PG_AUDIT_MIGRATIONS],
  ['directline', PG_DIRECTLINE_MIGRATIONS],
  ['staff', PG_STAFF_MIGRATIONS],
  ['handling', PG_HANDLING_MIGRATIONS],
  ['outbox', PG_OUTBOX_MIGRATIONS],
  ['referrals', PG_REFERRAL_MIGRATIONS],
  ['letters', PG_LETTER_MIGRATIONS],
];
