/**
 * The retention registry (no SQL): repositories register what they hold about conversations and
 * complaints; src/staff/retention.ts asks each of them. Participants are asked in registration order,
 * except that the complaints repository always comes last (a participant registered after it goes
 * before it), so the others can still read the complaint they purge for.
 */
import type { RetentionParticipant, RetentionRegistry } from './types';

/** the participant that is asked last */
export const COMPLAINTS = 'complaints';

export class Registry implements RetentionRegistry {
  private readonly list: RetentionParticipant[] = [];

  register(participant: RetentionParticipant): void {
    if (this.list.some((p) => p.name === participant.name)) throw new Error(`retention: ${participant.name} is registered already`);
    const complaints = this.list.findIndex((p) => p.name === COMPLAINTS);
    if (complaints >= 0) this.list.splice(complaints, 0, participant);
    else this.list.push(participant);
  }

  participants(): readonly RetentionParticipant[] {
    return [...this.list];
  }
}
