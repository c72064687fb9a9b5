/** The retention registry: unique names, registration order, complaints always asked last. */
import { Registry } from '../../src/store/retention';
import type { RetentionParticipant } from '../../src/store/types';

const participant = (name: string): RetentionParticipant => ({
  name,
  staleConversations: async () => [],
  anchors: async () => false,
  activeSince: async () => false,
  purgeConversation: async () => 0,
  purgeComplaint: async () => 0,
});

test('participants in registration order, complaints last also when others register after it; a name once', () => {
  const r = new Registry();
  r.register(participant('transcripts'));
  r.register(participant('complaints'));
  r.register(participant('outbox'));
  r.register(participant('letters'));
  expect(r.participants().map((p) => p.name)).toEqual(['transcripts', 'outbox', 'letters', 'complaints']);
  expect(() => r.register(participant('outbox'))).toThrow(/registered already/);
});
