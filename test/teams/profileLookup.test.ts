/**
 * The lookup's guard rails without Teams: a lookup that fails or never answers yields no suggestion.
 * These use stand-in lookup functions (no Teams service involved); the real TeamsInfo path runs in
 * profileSuggestion.test.ts.
 */
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { suggestProfile } from '../../src/teams/profile';

const context = () => new TurnContext(new TestAdapter(), { type: 'message', text: 'hoi', channelId: 'msteams' } as Activity);

test('stand-in lookup that never answers: no suggestion after the time limit, and the error is reported', async () => {
  const errors: unknown[] = [];
  const started = Date.now();
  const result = await suggestProfile(context(), () => new Promise(() => undefined), 50, (e) => errors.push(e));
  expect(result).toBeUndefined();
  expect(Date.now() - started).toBeLessThan(2000);
  expect(String(errors[0])).toContain('took over 50 ms');
});

test('stand-in lookup that throws: no suggestion', async () => {
  const errors: unknown[] = [];
  const result = await suggestProfile(context(), async () => { throw new Error('boom'); }, 1000, (e) => errors.push(e));
  expect(result).toBeUndefined();
  expect(errors).toHaveLength(1);
});

test('stand-in lookup that answers in time: its suggestion', async () => {
  const result = await suggestProfile(context(), async () => ({ name: 'Jan de Vries' }), 1000);
  expect(result).toEqual({ name: 'Jan de Vries' });
});
