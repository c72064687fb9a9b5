/**
 * How the dialogs show what the citizen told: the date (a day, a period, or the words), and each
 * field as one line. Citizen text is escaped where it is shown (see text.ts).
 */
import type { TurnContext } from 'botbuilder';
import { formatPhone } from '../src/domain/contact';
import { formatDate } from '../src/domain/dates';
import { formatAddress } from '../src/understanding/address';
import { formatPeriod } from '../src/understanding/dates';
import type { Draft, DraftField } from './draft';
import { citizenText } from './text';
import { tr, turnLocale } from './turn';

/** How the bot read the date: the day or period, or the citizen's words when too vague for either. */
export function whenText(context: TurnContext, d: Pick<Draft, 'incidentDate' | 'incidentDateFrom' | 'incidentDateTo' | 'incidentDateText'>): string {
  const from = d.incidentDateFrom ?? d.incidentDate ?? undefined;
  const to = d.incidentDateTo ?? from;
  // a day with its weekday ("dinsdag 17 november 2026"), a period as the understanding step says it ("eind oktober 2026 (21–31 oktober)")
  if (from && to) return from === to ? formatDate(from, turnLocale(context)) : formatPeriod({ text: '', from, to }, turnLocale(context));
  return d.incidentDateText ? citizenText(d.incidentDateText) : tr(context)('summary.none');
}

/** One field as shown to the citizen. */
export function fieldValue(context: TurnContext, d: Draft, field: DraftField | 'story'): string {
  const t = tr(context);
  const none = t('summary.none');
  const c = d.contact;
  const show = (v: string | null | undefined) => (v ? citizenText(v) : none);
  switch (field) {
    case 'story':
      return show(d.story);
    case 'when':
      return whenText(context, d);
    case 'place':
      return show(d.place);
    case 'person':
      return show(d.person);
    case 'solution':
      return show(d.solution);
    case 'name':
      return show(c.name);
    case 'phone':
      return c.phone ? formatPhone(c.phone) : none;
    case 'email':
      return show(c.email);
    case 'address': {
      const country = (c as { country?: string }).country;
      const esc = (v?: string | null) => (v ? citizenText(v) : undefined);
      // the town and postcode in the order of the country ("London NW1 6XE")
      const line = formatAddress({ street: esc(c.street), postcode: esc(c.postcode), city: esc(c.city), country: esc(country) });
      return line || none;
    }
  }
}

/** The words for a kind of place in the conversation's language ("Aan de telefoon"), as the place buttons say it. */
export function placeLabel(context: TurnContext): (kind: string) => string {
  const t = tr(context);
  return (kind) => t(`place.kind.${kind}`);
}

/** What the bot took from a message without asking, said back at once: "Wanneer: maandag 23 november 2026; Waar: Aan de balie". */
export function notedItems(context: TurnContext, d: Draft, fields: DraftField[]): string {
  const t = tr(context);
  return fields.map((f) => `${t(`summary.field.${f}`)}: ${f === 'when' ? whenText(context, d) : fieldValue(context, d, f)}`).join('; ');
}
