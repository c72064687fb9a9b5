/**
 * The bot's referrals to other procedures, counted per (day, route, locale, channel) on PostgreSQL
 * (src/store/types.ts, ReferralRepository). Anonymous counters: no conversation, no text.
 */
import type { ReferralKey, ReferralRepository, Tx } from '../types';
import type { Migration, PgDb } from './db';

export const PG_REFERRAL_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE referral_counts (
        day TEXT COLLATE "C" NOT NULL,
        route TEXT COLLATE "C" NOT NULL,
        locale TEXT COLLATE "C" NOT NULL,
        channel TEXT COLLATE "C" NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (day, route, locale, channel)
      );
    `,
  },
];

export class PgReferrals implements ReferralRepository {
  constructor(private readonly db: PgDb) {}

  async record(k: ReferralKey, tx?: Tx): Promise<void> {
    await this.db.run(
      `INSERT INTO referral_counts (day, route, locale, channel, count) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (day, route, locale, channel) DO UPDATE SET count = referral_counts.count + 1`,
      [k.day, k.route, k.locale, k.channel],
      tx,
    );
  }

  async list(fromDay: string, toDay: string, tx?: Tx): Promise<(ReferralKey & { count: number })[]> {
    const rows = await this.db.query<ReferralKey & { count: string }>(
      `SELECT day, route, locale, channel, count FROM referral_counts WHERE day >= $1 AND day <= $2
        ORDER BY day, route, locale, channel`,
      [fromDay, toDay],
      tx,
    );
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }

  async countByRoute(fromDay: string, toDay: string, tx?: Tx): Promise<{ key: string; count: number }[]> {
    const rows = await this.db.query<{ key: string; count: string }>(
      `SELECT route AS key, sum(count) AS count FROM referral_counts WHERE day >= $1 AND day <= $2 GROUP BY route ORDER BY route`,
      [fromDay, toDay],
      tx,
    );
    return rows.map((r) => ({ key: r.key, count: Number(r.count) }));
  }
}
