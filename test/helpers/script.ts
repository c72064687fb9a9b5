import type { Harness } from './harness';

export type Step = [input: string, expected: RegExp];

/** Plays the steps and checks that the bot's answer to each (all its texts in that turn) matches. */
export async function play(h: Harness, steps: Step[]): Promise<string[]> {
  let all: string[] = [];
  for (const [input, expected] of steps) {
    const replies = await h.say(input);
    const joined = replies.join('\n---\n');
    if (!expected.test(joined)) {
      throw new Error(`After "${input}" expected ${expected} but the bot said:\n${joined}`);
    }
    all = replies;
  }
  return all;
}

export const STORY_NL =
  'Ik heb drie keer gebeld over mijn paspoort en niemand belde terug, de medewerker aan de telefoon was ook erg onvriendelijk';

/**
 * The Dutch path from the story up to the summary (no call-back, no e-mail). What the story says
 * (on the phone, the staff member) is said back at once and not asked again (the summary confirms it).
 */
export const DUTCH_TO_SUMMARY: Step[] = [
  [STORY_NL, /Genoteerd: .*Aan de telefoon.*de medewerker.*Waar gaat het over/s],
  ['Hoe ik behandeld ben', /Wanneer gebeurde het/],
  ['vorige week dinsdag', /Genoteerd: dinsdag 17 november 2026.*oplossen/s],
  ['Overslaan', /klachtenfunctionaris praten/],
  ['Nee, ga verder', /Wat is uw naam/],
  ['Jan Jansen', /adres/],
  ['Dorpsstraat 12, 1182jr Amstelveen', /telefoonnummer of e-mailadres/],
  ['06 12345678', /Dit is uw klacht.*Klopt alles/s],
];

/** The same path when the route recogniser is on: a clear complaint skips the route question. */
export const DUTCH_TO_SUMMARY_RECOGNISED: Step[] = [[STORY_NL, /Aan de telefoon.*Wanneer gebeurde het/s], ...DUTCH_TO_SUMMARY.slice(2)];
