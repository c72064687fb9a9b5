/**
 * Letters written by staff (src/store/types.ts, LetterRepository) in SQLite: the rendered PDF is kept
 * as sent. Purged with their complaint (retention participant 'letters').
 */
import type { LetterKind, LetterRepository, LetterRow, NewLetter, RetentionParticipant, Tx } from '../types';
import type { Migration } from './db';
import type { Sql } from './sql';

export const LETTER_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE letters (
        id INTEGER PRIMARY KEY,
        complaint_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        locale TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        details TEXT NOT NULL,
        sent_to TEXT,
        size INTEGER NOT NULL,
        pdf BLOB NOT NULL
      );
      CREATE INDEX letters_complaint ON letters(complaint_id, id);
    `,
  },
];

interface LetterDbRow {
  id: number;
  complaint_id: number;
  reference: string;
  kind: LetterKind;
  locale: string;
  created_by: string;
  created_at: string;
  details: string;
  sent_to: string | null;
  size: number;
}

const COLUMNS = `l.id, l.complaint_id, c.reference, l.kind, l.locale, l.created_by, l.created_at, l.details, l.sent_to, l.size
  FROM letters l JOIN complaints c ON c.id = l.complaint_id`;

export function toLetter(r: LetterDbRow): LetterRow {
  return {
    id: Number(r.id),
    complaintId: Number(r.complaint_id),
    reference: r.reference,
    kind: r.kind,
    locale: r.locale,
    createdBy: r.created_by,
    createdAt: r.created_at,
    details: JSON.parse(r.details) as Record<string, unknown>,
    sentTo: r.sent_to,
    size: Number(r.size),
  };
}

export class SqliteLetters implements LetterRepository {
  constructor(private readonly sql: Sql) {}

  async add(l: NewLetter, tx?: Tx): Promise<number> {
    const r = await this.sql.run(
      `INSERT INTO letters (complaint_id, kind, locale, created_by, created_at, details, sent_to, size, pdf)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [l.complaintId, l.kind, l.locale, l.createdBy, l.createdAt, JSON.stringify(l.details), l.sentTo, l.pdf.length, l.pdf],
      tx,
    );
    return r.lastID;
  }

  async get(id: number, tx?: Tx): Promise<LetterRow | undefined> {
    const row = await this.sql.get<LetterDbRow>(`SELECT ${COLUMNS} WHERE l.id = ?`, [id], tx);
    return row ? toLetter(row) : undefined;
  }

  async pdf(id: number, tx?: Tx): Promise<Buffer | undefined> {
    const row = await this.sql.get<{ pdf: Buffer }>('SELECT pdf FROM letters WHERE id = ?', [id], tx);
    return row ? Buffer.from(row.pdf) : undefined;
  }

  async listByComplaint(complaintId: number, tx?: Tx): Promise<LetterRow[]> {
    return (await this.sql.all<LetterDbRow>(`SELECT ${COLUMNS} WHERE l.complaint_id = ? ORDER BY l.id`, [complaintId], tx)).map(toLetter);
  }
}

/** Letters go with their complaint. */
export function lettersParticipant(sql: Sql): RetentionParticipant {
  return {
    name: 'letters',
    staleConversations: async () => [],
    anchors: async () => false,
    activeSince: async () => false,
    purgeConversation: async () => 0,
    purgeComplaint: async (c, tx) => (await sql.run('DELETE FROM letters WHERE complaint_id = ?', [c.id], tx)).changes,
  };
}
