/**
 * The retention registry (no SQL): repositories register what they hold about conversations and
 * complaints; src/staff/retention.ts asks each of them. Participants are asked in registration order;
 * openStore registers the complaints repository last, so the others can still read the complaint they
 * purge for.
 */
import type { RetentionParticipant, RetentionRegistry } from './types';

export class Registry implements RetentionRegistry {
  private readonly list: RetentionParticipant[] = [];

  register(participant: RetentionParticipant): void {
    if (this.list.some((p) => p.name === participant.name)) throw new Error(`retention: ${participant.name} is registered already`);
    this.list.push(participant);
  }

  participants(): readonly RetentionParticipant[] {
    return [...this.list];
  }
}
