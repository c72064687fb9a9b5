/**
 * Letters written by staff (src/store/types.ts, LetterRepository) on PostgreSQL: the rendered PDF is
 * kept as sent (BYTEA). Purged with their complaint (retention participant 'letters').
 */
import type { LetterKind, LetterRepository, LetterRow, NewLetter, RetentionParticipant, Tx } from '../types';
import type { Migration, PgDb } from './db';

export const PG_LETTER_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE letters (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        complaint_id BIGINT NOT NULL,
        kind TEXT COLLATE "C" NOT NULL,
        locale TEXT COLLATE "C" NOT NULL,
        created_by TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        details TEXT COLLATE "C" NOT NULL,
        sent_to TEXT COLLATE "C",
        size INTEGER NOT NULL,
        pdf BYTEA NOT NULL
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

function toLetter(r: LetterDbRow): LetterRow {
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

export class PgLetters implements LetterRepository {
  constructor(private readonly db: PgDb) {}

  async add(l: NewLetter, tx?: Tx): Promise<number> {
    const row = await this.db.one<{ id: number }>(
      `INSERT INTO letters (complaint_id, kind, locale, created_by, created_at, details, sent_to, size, pdf)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [l.complaintId, l.kind, l.locale, l.createdBy, l.createdAt, JSON.stringify(l.details), l.sentTo, l.pdf.length, l.pdf],
      tx,
    );
    return Number(row!.id);
  }

  async get(id: number, tx?: Tx): Promise<LetterRow | undefined> {
    const row = await this.db.one<LetterDbRow>(`SELECT ${COLUMNS} WHERE l.id = $1`, [id], tx);
    return row ? toLetter(row) : undefined;
  }

  async pdf(id: number, tx?: Tx): Promise<Buffer | undefined> {
    const row = await this.db.one<{ pdf: Buffer }>('SELECT pdf FROM letters WHERE id = $1', [id], tx);
    return row ? Buffer.from(row.pdf) : undefined;
  }

  async listByComplaint(complaintId: number, tx?: Tx): Promise<LetterRow[]> {
    return (await this.db.query<LetterDbRow>(`SELECT ${COLUMNS} WHERE l.complaint_id = $1 ORDER BY l.id`, [complaintId], tx)).map(toLetter);
  }
}

/** Letters go with their complaint. */
export function lettersParticipant(db: PgDb): RetentionParticipant {
  return {
    name: 'letters',
    staleConversations: async () => [],
    anchors: async () => false,
    activeSince: async () => false,
    purgeConversation: async () => 0,
    purgeComplaint: async (c, tx) => db.run('DELETE FROM letters WHERE complaint_id = $1', [c.id], tx),
  };
}
