/**
 * The one rule the dialogs keep about the story itself: a first message that only says the citizen
 * wants to complain (or greets) is not yet the story. Everything else a message means comes from the
 * understanding step (src/understanding).
 */
import { normalise } from './text';

/** "Ik wil een klacht indienen", "hallo": not yet the story itself. */
export function isIntentOnly(text: string): boolean {
  const n = normalise(text);
  return (
    /^((hallo|hoi|hi|hello|hey|goedemorgen|goedemiddag|goedenavond|good (morning|afternoon|evening)|dag)\s*)+$/.test(n) ||
    /^((hallo|hoi|hi|hello|goedemiddag|goedemorgen|goedenavond)\s+)?(ik (wil|wou|zou) (graag )?(een )?klacht(en)? (indienen|melden|doen|geven|insturen|sturen)|ik heb een klacht|klacht (indienen|melden)|een klacht|i (want|would like|d like) to (file|make|submit|lodge) a complaint|i have a complaint|complaint|klacht)( (over|about) (de gemeente( amstelveen)?|jullie|de gemeente|een medewerker|een ambtenaar|the municipality|the council|you|a staff member))?$/.test(
      n,
    )
  );
}
