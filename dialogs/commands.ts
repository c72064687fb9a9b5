/**
 * Words that work at any point of the conversation. Only short messages count as a command, so a
 * story that mentions "medewerker" or "stop" is never taken for one.
 */
import type { Locale } from '../src/domain/routes';
import { normalise } from './text';

export type Command = { kind: 'help' | 'stop' | 'restart' | 'person' } | { kind: 'language'; locale: Locale };

const PATTERNS: [RegExp, Command][] = [
  [/^(help|hulp|helpen|help me|ik snap het niet|wat kan ik hier doen|what can i do|menu)$/, { kind: 'help' }],
  [/^(stop|stoppen|stop maar|annuleer|annuleren|afbreken|cancel|quit|exit|ik wil stoppen)$/, { kind: 'stop' }],
  [/^(opnieuw|opnieuw beginnen|begin opnieuw|herstart|restart|start over|start again|reset)$/, { kind: 'restart' }],
  [
    /^((ik wil )?(graag )?(met )?(een )?(mens|medewerker|persoon|klachtenfunctionaris|iemand)( spreken| bellen)?|bel mij( terug| op)?|bel me( terug)?|terugbellen|terugbelverzoek|(i want to )?(talk|speak) to (a )?(real )?(person|human|someone|agent)|human|real person|call me( back)?|callback|call back|agent)$/,
    { kind: 'person' },
  ],
  [/^((in )?(het )?(english|engels)( please| graag| alstublieft)?|switch to english)$/, { kind: 'language', locale: 'en' }],
  [/^((in )?(het )?(nederlands|dutch)( graag| please| alstublieft)?|switch to dutch)$/, { kind: 'language', locale: 'nl' }],
];

export function detectCommand(text: string | undefined): Command | undefined {
  const n = normalise(text ?? '');
  if (!n || n.split(' ').length > 7) return undefined;
  return PATTERNS.find(([re]) => re.test(n))?.[1];
}

/** "Ik wil een klacht indienen", "hallo": not yet the story itself. */
export function isIntentOnly(text: string): boolean {
  const n = normalise(text);
  return (
    /^((hallo|hoi|hi|hello|hey|goedemorgen|goedemiddag|goedenavond|good (morning|afternoon|evening)|dag)\s*)+$/.test(n) ||
    /^((hallo|hoi|hi|hello|goedemiddag|goedemorgen|goedenavond)\s+)?(ik (wil|wou|zou) (graag )?(een )?klacht(en)? (indienen|melden|doen|geven|insturen|sturen)|ik heb een klacht|klacht (indienen|melden)|een klacht|i (want|would like|d like) to (file|make|submit|lodge) a complaint|i have a complaint|complaint|klacht)$/.test(
      n,
    )
  );
}
