/**
 * SQLite migrations, per module (the module names and versions of the tables' first homes, so existing
 * database files carry on). SQLite-only features (FTS5, triggers, json_extract) stay in this folder.
 * PostgreSQL has its own (src/store/postgres/migrations).
 */
import type { Migration } from './db';
import { LETTER_MIGRATIONS } from './letters';
import { REFERRAL_MIGRATIONS } from './referrals';

export const COMPLAINT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE complaints (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        reference TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'received',
        route TEXT NOT NULL,
        locale TEXT NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        story TEXT NOT NULL,
        incident_date TEXT,
        incident_date_text TEXT NOT NULL,
        place_kind TEXT,
        place TEXT NOT NULL,
        person_kind TEXT,
        person TEXT,
        solution TEXT,
        name TEXT NOT NULL,
        phone TEXT NOT NULL,
        street TEXT NOT NULL,
        postcode TEXT NOT NULL,
        city TEXT NOT NULL,
        email TEXT,
        callback_id INTEGER REFERENCES callbacks(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX complaints_conversation ON complaints(channel, conversation_id);
      CREATE INDEX complaints_status_created ON complaints(status, created_at);
      CREATE INDEX complaints_created ON complaints(created_at);
      CREATE TABLE callbacks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        complaint_reference TEXT,
        name TEXT NOT NULL,
        phone TEXT NOT NULL,
        date TEXT NOT NULL,
        part_of_day TEXT NOT NULL,
        locale TEXT NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        created_at TEXT NOT NULL
      );
      CREATE INDEX callbacks_open ON callbacks(status, date, part_of_day);
    `,
  },
  {
    // Phone optional and addresses abroad (Awb 9:4 asks for name and address): phone and postcode
    // become nullable (a table rebuild: SQLite cannot drop NOT NULL), plus a country. Call-backs get a
    // reference, as complaints have one, and a topic.
    version: 2,
    sql: `
      CREATE TABLE complaints_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        reference TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL DEFAULT 'received',
        route TEXT NOT NULL,
        locale TEXT NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        story TEXT NOT NULL,
        incident_date TEXT,
        incident_date_text TEXT NOT NULL,
        place_kind TEXT,
        place TEXT NOT NULL,
        person_kind TEXT,
        person TEXT,
        solution TEXT,
        name TEXT NOT NULL,
        phone TEXT,
        street TEXT NOT NULL,
        postcode TEXT,
        city TEXT NOT NULL,
        country TEXT,
        email TEXT,
        callback_id INTEGER REFERENCES callbacks(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      INSERT INTO complaints_v2 (id, reference, idempotency_key, status, route, locale, channel, conversation_id, story,
          incident_date, incident_date_text, place_kind, place, person_kind, person, solution,
          name, phone, street, postcode, city, email, callback_id, created_at, updated_at)
        SELECT id, reference, idempotency_key, status, route, locale, channel, conversation_id, story,
          incident_date, incident_date_text, place_kind, place, person_kind, person, solution,
          name, phone, street, postcode, city, email, callback_id, created_at, updated_at FROM complaints;
      DROP TABLE complaints;
      -- legacy rename: other modules' triggers that name "complaints" (staff search) keep working unchanged;
      -- triggers on the old table went with it and are created again by their module at start
      PRAGMA legacy_alter_table = ON;
      ALTER TABLE complaints_v2 RENAME TO complaints;
      PRAGMA legacy_alter_table = OFF;
      CREATE INDEX complaints_conversation ON complaints(channel, conversation_id);
      CREATE INDEX complaints_status_created ON complaints(status, created_at);
      CREATE INDEX complaints_created ON complaints(created_at);
      ALTER TABLE callbacks ADD COLUMN reference TEXT;
      ALTER TABLE callbacks ADD COLUMN topic TEXT;
      UPDATE callbacks SET reference = 'TB-' || substr(created_at, 1, 4) || '-' || upper(hex(randomblob(3))) WHERE reference IS NULL;
      CREATE UNIQUE INDEX callbacks_reference ON callbacks(reference);
    `,
  },
  {
    // A date can be a period ("eind oktober", "week 46"): its first and last day, kept apart from
    // incident_date (a single day). Existing rows: a day is a period of one day.
    version: 3,
    sql: `
      ALTER TABLE complaints ADD COLUMN incident_date_from TEXT;
      ALTER TABLE complaints ADD COLUMN incident_date_to TEXT;
      UPDATE complaints SET incident_date_from = incident_date, incident_date_to = incident_date WHERE incident_date IS NOT NULL;
    `,
  },
];

export const STORAGE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE bot_state (
            key TEXT PRIMARY KEY,
            etag INTEGER NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX bot_state_updated ON bot_state(updated_at);`,
  },
  {
    // The conversation an item belongs to, in columns next to the key, so that retention finds a
    // conversation's state without parsing keys. Existing rows: filled once from botbuilder's
    // conversation-state key layout `<channelId>/conversations/<conversationId>/<namespace>` (the
    // rtrim trick keeps the text up to its last '/'); from now on the bot's Storage adapter gives them.
    version: 2,
    sql: `ALTER TABLE bot_state ADD COLUMN channel_id TEXT;
          ALTER TABLE bot_state ADD COLUMN conversation_id TEXT;
          UPDATE bot_state
             SET channel_id = substr(key, 1, instr(key, '/conversations/') - 1),
                 conversation_id = substr(rtrim(substr(key, instr(key, '/conversations/') + 15), replace(substr(key, instr(key, '/conversations/') + 15), '/', '')), 1,
                   length(rtrim(substr(key, instr(key, '/conversations/') + 15), replace(substr(key, instr(key, '/conversations/') + 15), '/', ''))) - 1)
           WHERE instr(key, '/conversations/') > 1
             AND instr(substr(key, instr(key, '/conversations/') + 15), '/') > 1;
          CREATE INDEX bot_state_conversation ON bot_state(channel_id, conversation_id);`,
  },
];

export const DEDUPE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE processed_activities (
            channel_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (channel_id, conversation_id, activity_id)
          );
          CREATE INDEX processed_activities_created ON processed_activities(created_at);`,
  },
  {
    // marks written before version 2 were taken before their turn; treat them as done
    version: 2,
    sql: `ALTER TABLE processed_activities ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
          ALTER TABLE processed_activities ADD COLUMN owner TEXT;`,
  },
];

export const TRANSCRIPT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE transcript_activities (
        seq INTEGER PRIMARY KEY,
        channel_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        activity_id TEXT,
        type TEXT NOT NULL,
        role TEXT,
        timestamp TEXT NOT NULL,
        logged_at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX transcript_activities_conversation ON transcript_activities(channel_id, conversation_id, seq);
      CREATE TABLE transcripts (
        channel_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_activity_at TEXT NOT NULL,
        PRIMARY KEY (channel_id, conversation_id)
      );
      CREATE INDEX transcripts_channel_created ON transcripts(channel_id, created_at);
      CREATE INDEX transcripts_last_activity ON transcripts(last_activity_at);
    `,
  },
  {
    // the registry follows every insert, so a batch of activities is one statement
    version: 2,
    sql: `
      CREATE TRIGGER transcripts_registry AFTER INSERT ON transcript_activities
      BEGIN
        INSERT INTO transcripts (channel_id, conversation_id, created_at, last_activity_at)
        VALUES (NEW.channel_id, NEW.conversation_id, NEW.logged_at, NEW.logged_at)
        ON CONFLICT (channel_id, conversation_id) DO UPDATE SET last_activity_at = excluded.last_activity_at;
      END;
    `,
  },
];

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

export const DIRECTLINE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE directline_keys (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE directline_conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        locale TEXT,
        created_at INTEGER NOT NULL,
        last_active_at INTEGER NOT NULL,
        ended_at INTEGER
      );
      CREATE INDEX directline_conversations_idle ON directline_conversations(ended_at, last_active_at);
      CREATE TABLE directline_activities (
        conversation_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)
      ) WITHOUT ROWID;
    `,
  },
];

/** What the citizen typed in a conversation, as one text (for the search document). */
const CITIZEN_TEXT = (channel: string, conversation: string) => `(
  SELECT group_concat(json_extract(t.data, '$.text'), char(10)) FROM transcript_activities t
   WHERE t.channel_id = ${channel} AND t.conversation_id = ${conversation} AND t.role = 'user' AND t.type = 'message')`;

/**
 * The 'story' column of a complaint's search document (handling module): the story plus its contact
 * keys as single words, so a phone number in any form (the query side makes it E.164 digits), a
 * postcode with or without space and a reference without its 'KL-2026-' prefix find it:
 * E.164 digits ('31687654321'), the postcode without space ('1185xe'), the reference's code ('abc234').
 */
const SEARCH_STORY = (c: string) =>
  `${c}.story || char(10) || coalesce(replace(${c}.phone, '+', ''), '') || ' ' || coalesce(replace(${c}.postcode, ' ', ''), '') || ' ' || substr(${c}.reference, 9)`;

/** Created at every start when missing: they live on other modules' tables, which a migration may rebuild. */
export const SEARCH_TRIGGERS = `
  CREATE TRIGGER IF NOT EXISTS complaint_search_filed AFTER INSERT ON complaints BEGIN
    INSERT INTO complaint_search (rowid, story, transcript)
    VALUES (new.id, ${SEARCH_STORY('new')}, ${CITIZEN_TEXT('new.channel', 'new.conversation_id')});
  END;
  CREATE TRIGGER IF NOT EXISTS complaint_search_deleted AFTER DELETE ON complaints BEGIN
    DELETE FROM complaint_search WHERE rowid = old.id;
  END;
  CREATE TRIGGER IF NOT EXISTS complaint_search_said AFTER INSERT ON transcript_activities
  WHEN new.role = 'user' AND new.type = 'message'
   AND EXISTS (SELECT 1 FROM complaints WHERE channel = new.channel_id AND conversation_id = new.conversation_id)
  BEGIN
    DELETE FROM complaint_search WHERE rowid IN
      (SELECT id FROM complaints WHERE channel = new.channel_id AND conversation_id = new.conversation_id);
    INSERT INTO complaint_search (rowid, story, transcript)
      SELECT c.id, ${SEARCH_STORY('c')}, ${CITIZEN_TEXT('c.channel', 'c.conversation_id')}
        FROM complaints c WHERE c.channel = new.channel_id AND c.conversation_id = new.conversation_id;
  END;`;

/** The search index as staff v1 made it (story only): frozen, staff migration 1 runs it. */
const REBUILD_SEARCH_V1 = `
  INSERT INTO complaint_search (complaint_search) VALUES ('delete-all');
  INSERT INTO complaint_search (rowid, story, transcript)
    SELECT c.id, c.story, ${CITIZEN_TEXT('c.channel', 'c.conversation_id')} FROM complaints c;`;

export const REBUILD_SEARCH = `
  INSERT INTO complaint_search (complaint_search) VALUES ('delete-all');
  INSERT INTO complaint_search (rowid, story, transcript)
    SELECT c.id, ${SEARCH_STORY('c')}, ${CITIZEN_TEXT('c.channel', 'c.conversation_id')} FROM complaints c;`;

export const STAFF_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE complaint_events (
        id INTEGER PRIMARY KEY,
        complaint_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT,
        actor TEXT NOT NULL,
        note TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);
      CREATE TABLE complaint_handling (
        complaint_id INTEGER PRIMARY KEY,
        extended_at TEXT,
        resolved_at TEXT
      );
      CREATE INDEX complaint_handling_resolved ON complaint_handling(resolved_at);
      CREATE TABLE callback_handling (
        callback_id INTEGER PRIMARY KEY,
        done_by TEXT NOT NULL,
        done_at TEXT NOT NULL,
        note TEXT
      );
      CREATE VIRTUAL TABLE complaint_search USING fts5(
        story, transcript, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
      );
      ${REBUILD_SEARCH_V1}
    `,
  },
];

/**
 * The outbox (issue 13): one row per (subject, target), sent by src/delivery/worker.ts. A row is due
 * when pending and next_attempt_at has come, or when sending and its lease (lease_until) has run out.
 */
export const OUTBOX_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subject_kind TEXT NOT NULL,
        subject_ref TEXT NOT NULL,
        subject_id INTEGER,
        subject_key TEXT NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        lease_owner TEXT,
        lease_until TEXT,
        last_error TEXT,
        state TEXT NOT NULL DEFAULT '{}',
        retry_from TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        failed_at TEXT,
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
 * Handling (issue 14): the officer's workflow.
 * - complaints: `version` (grows with every change; the API's ETag), `assignee` (officer id), `department`
 *   (a name from the municipality file), `handler` (klachtbehandelaar id), `category`, `outcome`,
 *   `outcome_ground` (Awb 9:8 code when outcome is niet_in_behandeling), `intake_channel` ('chat' for
 *   bot-filed; phone/letter/email/counter for manual entry) and `received_at` (the day of receipt the
 *   terms count from; filled with created_at when not given, by trigger).
 * - complaint_events gets `data` (JSON) and carries the whole timeline: kinds status and extension (as
 *   before) plus note, document, assignment, outcome, reopen, letter and callback.
 * - complaint_documents: documents staff add (metadata + bytes).
 * - callback_attempts: outcomes of call-back attempts (reached, not_reached, rescheduled).
 * - the search document gets the contact keys (SEARCH_STORY); old triggers are dropped and made again at start.
 */
export const HANDLING_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      ALTER TABLE complaints ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE complaints ADD COLUMN assignee TEXT;
      ALTER TABLE complaints ADD COLUMN department TEXT;
      ALTER TABLE complaints ADD COLUMN handler TEXT;
      ALTER TABLE complaints ADD COLUMN category TEXT;
      ALTER TABLE complaints ADD COLUMN outcome TEXT;
      ALTER TABLE complaints ADD COLUMN outcome_ground TEXT;
      ALTER TABLE complaints ADD COLUMN intake_channel TEXT NOT NULL DEFAULT 'chat';
      ALTER TABLE complaints ADD COLUMN received_at TEXT;
      UPDATE complaints SET received_at = created_at;
      CREATE TRIGGER IF NOT EXISTS complaints_received_at AFTER INSERT ON complaints WHEN new.received_at IS NULL BEGIN
        UPDATE complaints SET received_at = new.created_at WHERE id = new.id;
      END;
      CREATE INDEX complaints_assignee ON complaints(assignee, created_at);
      CREATE INDEX complaints_handler ON complaints(handler, created_at);
      CREATE INDEX complaints_department ON complaints(department, created_at);
      CREATE INDEX complaints_open_received ON complaints(status, received_at);
      ALTER TABLE complaint_events ADD COLUMN data TEXT;
      CREATE TABLE complaint_documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        complaint_id INTEGER NOT NULL,
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        description TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        content BLOB NOT NULL
      );
      CREATE INDEX complaint_documents_complaint ON complaint_documents(complaint_id, id);
      CREATE TABLE callback_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        callback_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        outcome TEXT NOT NULL,
        note TEXT,
        date TEXT,
        part_of_day TEXT
      );
      CREATE INDEX callback_attempts_callback ON callback_attempts(callback_id, id);
      DROP TRIGGER IF EXISTS complaint_search_filed;
      DROP TRIGGER IF EXISTS complaint_search_said;
      ${REBUILD_SEARCH}
    `,
  },
  {
    // due soon starts from the extended complaints (few)
    version: 2,
    sql: `CREATE INDEX complaint_handling_extended ON complaint_handling(extended_at);`,
  },
];

/** In the order they are applied: staff's search index reads complaints and transcripts. */
export const SQLITE_MODULES: [string, Migration[]][] = [
  ['complaints', COMPLAINT_MIGRATIONS],
  ['storage', STORAGE_MIGRATIONS],
  ['dedupe', DEDUPE_MIGRATIONS],
  ['transcripts', TRANSCRIPT_MIGRATIONS],
  ['audit', AUDIT_MIGRATIONS],
  ['directline', DIRECTLINE_MIGRATIONS],
  ['staff', STAFF_MIGRATIONS],
  ['handling', HANDLING_MIGRATIONS],
  ['outbox', OUTBOX_MIGRATIONS],
  ['referrals', REFERRAL_MIGRATIONS],
  ['letters', LETTER_MIGRATIONS],
];
