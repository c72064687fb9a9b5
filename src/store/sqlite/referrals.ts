/**
 * The bot's referrals to other procedures, counted per (day, route, locale, channel) in SQLite
 * (src/store/types.ts, ReferralRepository). Anonymous counters: no conversation, no text.
 */
import type { ReferralKey, ReferralRepository, Tx } from '../types';
import type { Migration } from './db';
import type { Sql } from './sql';

export const REFERRAL_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE referral_counts (
        day TEXT NOT NULL,
        route TEXT NOT NULL,
        locale TEXT NOT NULL,
        channel TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, route, locale, channel)
      ) WITHOUT ROWID;
    `,
  },
];

export class SqliteReferrals implements ReferralRepository {
  constructor(private readonly sql: Sql) {}

  async record(k: ReferralKey, tx?: Tx): Promise<void> {
    await this.sql.run(
      `INSERT INTO referral_counts (day, route, locale, channel, count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (day, route, locale, channel) DO UPDATE SET count = referral_counts.count + 1`,
      [k.day, k.route, k.locale, k.channel],
      tx,
    );
  }

  list(fromDay: string, toDay: string, tx?: Tx): Promise<(ReferralKey & { count: number })[]> {
    return this.sql.all(
      `SELECT day, route, locale, channel, count FROM referral_counts WHERE day >= ? AND day <= ?
        ORDER BY day, route, locale, channel`,
      [fromDay, toDay],
      tx,
    );
  }

  countByRoute(fromDay: string, toDay: string, tx?: Tx): Promise<{ key: string; count: number }[]> {
    return this.sql.all(
      `SELECT route AS key, sum(count) AS count FROM referral_counts WHERE day >= ? AND day <= ? GROUP BY route ORDER BY route`,
      [fromDay, toDay],
      tx,
    );
  }
}
