import type { Locale } from '../domain/routes';

/**
 * One rule for the hardest case, applied after the model: a message about how the gemeente HANDLES
 * something the citizen filed (a report in Fixi, an objection, an application, a damage claim, a
 * letter) - no answer, months of waiting, a deadline passed, rudeness - is a complaint, even though
 * its words ("Fixi", "bezwaar", "WOZ", "schadeclaim") pull the model towards another route.
 *
 * The rule needs three things:
 * 1. something filed or asked (`filed`), and
 * 2. a handling failure (`failure`), and
 * 3. not only a care provider as the actor: "de thuiszorg reageert niet op mijn mail" is about the
 *    provider (route care), unless the gemeente or a gemeente procedure is named as well
 *    ("mijn Wmo-aanvraag voor thuiszorg: al 10 weken geen reactie van de gemeente").
 * It can only turn a message into a complaint, never send one elsewhere.
 */

export interface HandlingSignal {
  /** The matched text of each part, for explanations and tests. */
  filed: string;
  failure: string;
}

interface RuleSet {
  filed: RegExp;
  failure: RegExp;
  careProvider: RegExp;
  gemeente: RegExp;
}

const NL: RuleSet = {
  filed:
    /\b(melding(en)?|gemeld|fixi|bezwaar(schrift)?|aangevochten|aanvraag|aangevraagd|verzoek|vraag|vragen|schadeclaim|claim|schademelding|aansprakelijkstelling|ingebrekestelling|klacht ingediend|mail(s|tje)?|e-?mail(s)?|brief|brieven|terugbelverzoek|contactformulier)\b/,
  failure: new RegExp(
    [
      '\\bgeen (enkele )?(reactie|antwoord|antwoort|bericht|beslissing|besluit|uitspraak|ontvangstbevestiging|terugkoppeling)\\b',
      '\\bnooit (meer )?(iets |een |enige )?(gehoord|teruggehoord|antwoord|reactie|bericht|teruggebeld|gereageerd|beantwoord)\\b',
      '\\b(hoor|hoorde|horen) (\\w+ ){0,3}(niks|niets)\\b',
      '\\b(daarna|sindsdien) (\\w+ ){0,2}(niks|niets)\\b',
      '\\b(gebeurt|gebeurde|gebeurd) (er )?(\\w+ )?(niks|niets|nooit)\\b',
      '\\b(beslissen|beslist|besluiten) (\\w+ ){0,2}niet\\b',
      '\\b(wordt|worden) (niet|nooit) (opgenomen|beantwoord|teruggebeld|opgepakt)\\b',
      '\\b(wordt|werd) (er )?(helemaal )?(niets|niks) (mee )?gedaan\\b',
      '\\beindelijk (eens )?(reageren|antwoorden|antwoord|reactie|beslissen)\\b',
      '\\bniet (meer )?(gereageerd|teruggebeld|beantwoord|opgepakt|opgenomen|in behandeling genomen)\\b',
      '\\b(reageert|reageerd|reageren|reageerde) (er )?(niet|nooit)\\b',
      '\\bniemand (reageert|reageerd|reageerde|belt|neemt|laat|doet|pakt)\\b',
      '\\b(niks|niets) (meer )?(van )?(gehoord|vernomen|teruggehoord)\\b',
      '\\blaat (niks|niets) van zich horen\\b',
      '\\b(termijn|beslistermijn)\\b[^.]{0,30}\\b(verstreken|verlopen|overschreden)\\b',
      '\\b(weken|maanden|jaar)\\b[^.]{0,20}\\b(gewacht|geen|zonder|stil|niks|niets)\\b',
      '\\b(wacht|wachten) (al|nu al)\\b',
      '\\bnog steeds (geen|niet|niks|niets)\\b',
      '\\b(zonder (reden|uitleg|bericht)) (afgesloten|gesloten)\\b',
      '\\bafgesloten zonder\\b',
      '\\b(afgehandeld|afgesloten|gesloten|opgelost)\\b[^.]{0,40}\\b(zonder dat|maar er|terwijl)\\b',
      '\\b(onbeschoft|onbeleefd|grof|brutaal|respectloos|denigrerend|neerbuigend|uitgescholden|afgesnauwd|schreeuwde?)\\b',
    ].join('|'),
  ),
  careProvider:
    /\b(thuiszorg\w*|zorgaanbieder|zorginstelling|wijkverpleg\w*|huishoudelijke hulp|de hulp|taxi\w*|regiotaxi|chauffeur|vervoerder|jeugdhulp(verlener|aanbieder)?|jeugdzorg\w*|begeleid(er|ster|ing)|dagbesteding|leverancier|monteur)\b/,
  gemeente:
    /\b(gemeente\w*|jullie|ambtena(ar|ren)|consulent|wijkteam|klantmanager|loket|zorgloket|wmo-?loket|afdeling|aanvraag|aangevraagd|indicatie|besluit|beslissing|bezwaar\w*|fixi)\b/,
};

const EN: RuleSet = {
  filed:
    /\b(report(s|ed)?|fixi|objection|objected|challenged|bezwaar|application|applied|request(ed)?|questions?|forms?|claim|complaint (was |i )?(filed|submitted|made)|notice of default|e-?mails?|letters?|call ?back request|contact form)\b/,
  failure: new RegExp(
    [
      '\\bno (reply|replies|response|answer|anwser|reaction|decision|word|acknowledge?ment|news)\\b',
      '\\bnever (got|get|received|heard|had) (a |any |an )?(reply|response|answer|back|anything)\\b',
      '\\bnever (heard|responded|replied|answered|called back)\\b',
      '\\bnever (a |any |an )?(reply|response|answer)\\b',
      '\\b(hear|heard|hearing) (absolutely )?(nothing|anything)\\b',
      '\\b(since then|after that) (\\w+ )?nothing\\b',
      '\\bnothing (happens|happened|has happened|is being done|is done)\\b',
      '\\b(not|never) (yet )?(been )?(decided|processed)\\b',
      '\\b(not|never) (been )?(responded|replied|answered|called back|picked up|dealt with|taken up)\\b',
      '\\b(do|does|did) not (respond|reply|answer|react|call back|get back|decide)\\b',
      '\\b(dont|doesnt|didnt) (respond|reply|answer|react|call back|get back|decide)\\b',
      '\\bfinally (going to )?(answer|reply|respond|decide)\\b',
      '\\b(never|not) (been )?(processed|handled|dealt with)\\b',
      '\\bnobody (responds|replies|answers|reacts|calls|gets back|picks|lets|does)\\b',
      '\\b(heard|hear) nothing\\b',
      '\\bheard (absolutely )?nothing\\b',
      '\\bdeadline\\b[^.]{0,30}\\b(passed|expired|ran out|exceeded)\\b',
      '\\b(decision period|period)\\b[^.]{0,30}\\b(expired|ran out|exceeded)\\b',
      '\\b(weeks|months|year)\\b[^.]{0,20}\\b(waiting|without|no|nothing|stuck|pending)\\b',
      '\\b(been )?waiting (for )?(\\w+ )?(weeks|months)\\b',
      '\\bstill (no|not|nothing|have not|has not|hasn ?t|haven ?t)\\b',
      '\\bclosed (without|for no)\\b',
      '\\b(closed|resolved|solved|dealt with)\\b[^.]{0,40}\\b(without anyone|without anything|but nothing|but it is still|while it is still)\\b',
      '\\b(rude|impolite|insolent|disrespectful|demeaning|condescending|shouted|yelled|snapped|swore)\\b',
    ].join('|'),
  ),
  careProvider:
    /\b(home ?care|thuiszorg|care provider|care institution|district nurse|household help|home help|taxi|regiotaxi|driver|transport company|youth care (worker|provider|institution)|support worker|day (care|centre|center)|supplier|engineer)\b/,
  gemeente:
    /\b(municipal\w*|gemeente|council|you people|your (office|department|staff)|official|consultant|neighbourhood team|case manager|desk|department|application|applied|indication|decision|objection|fixi)\b/,
};

const RULES: Record<Locale, RuleSet> = { nl: NL, en: EN };

/** Lower case, accents removed, whitespace collapsed (the same normalisation the model uses). */
export function normalizeForRules(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/\s+/g, ' ');
}

export function detectHandlingComplaint(text: string, locale: Locale): HandlingSignal | undefined {
  const rules = RULES[locale];
  const t = normalizeForRules(text);
  const filed = rules.filed.exec(t);
  if (!filed) return undefined;
  const failure = rules.failure.exec(t);
  if (!failure) return undefined;
  if (rules.careProvider.test(t) && !rules.gemeente.test(t)) return undefined;
  return { filed: filed[0], failure: failure[0] };
}
