/**
 * Answers the intake's questions as a citizen would, for the security tests that need to reach the
 * summary or file a complaint over some channel. Built on the benchmark's script (src/bench/intakeScript.ts,
 * which knows the questions by their texts in locales/), with two additions: some answers can be
 * replaced (a hostile story), and a question the script does not know but that offers buttons is
 * answered with its first button (a confirmation: "Ja, klopt").
 */
import { CITIZEN, nextStep } from '../../src/bench/intakeScript';

export type Field = keyof (typeof CITIZEN)['nl'];

export type Move =
  /** send this text (typed, or a button's title) */
  | { send: string; prompt: string }
  /** the summary is shown; `send` confirms it */
  | { summary: true; send: string }
  | { done: string };

/** What to do after the bot's messages of one turn (their texts, and the last one's buttons). */
export function move(texts: string[], buttons: string[], replace: Partial<Record<Field, string>> = {}): Move | undefined {
  const steps = texts.map((t) => nextStep(t, 'nl'));
  const done = steps.find((s) => s.kind === 'done');
  if (done?.kind === 'done') return { done: done.reference };
  const step = [...steps].reverse().find((s) => s.kind !== 'wait');
  if (step?.kind === 'click') {
    if (step.prompt === 'summary.ask') return { summary: true, send: step.title };
    return { send: step.title, prompt: step.prompt };
  }
  if (step?.kind === 'type') {
    const field = (Object.keys(CITIZEN.nl) as Field[]).find((f) => CITIZEN.nl[f] === step.text);
    return { send: (field && replace[field]) || step.text, prompt: step.prompt };
  }
  if (buttons.length > 0) return { send: buttons[0], prompt: 'buttons' };
  return undefined;
}
