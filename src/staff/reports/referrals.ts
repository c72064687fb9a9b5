/**
 * Counts the bot's referrals to other procedures for the annual report (Awb 9:12a: how many
 * "complaints" were in fact a bezwaar, a melding, a claim for damages, a care provider's matter).
 * The dialogs call `record(route, origin)` through DialogServices.referrals when they give a
 * referral; only the Amsterdam day, the route, the locale and the channel are kept (a counter), never
 * the conversation or what was said. Counting never fails a turn: a store error is logged (without
 * personal data) and the conversation goes on.
 */
import type { Origin } from '../../domain/complaint';
import { toAmsterdamDate } from '../../domain/workingDays';
import type { ReferralRepository } from '../../store/types';

export interface ReferralRecorder {
  record(route: string, origin: Origin): Promise<void>;
}

export class ReferralCounter implements ReferralRecorder {
  constructor(
    private readonly repo: ReferralRepository,
    private readonly clock: () => Date = () => new Date(),
    private readonly log?: { warn(obj: object, msg?: string): void },
  ) {}

  async record(route: string, origin: Origin): Promise<void> {
    try {
      await this.repo.record({ day: toAmsterdamDate(this.clock()), route, locale: origin.locale, channel: origin.channel });
    } catch (err) {
      this.log?.warn({ event: 'referrals.record', route, err: { message: (err as Error)?.message } }, 'a referral could not be counted');
    }
  }
}
