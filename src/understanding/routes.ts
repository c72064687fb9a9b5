/**
 * Every route that applies to a story (issue 11): the route recogniser reads the whole story, then each clause
 * ("my permit was refused | and the officer was rude"); a few rules add a complaint for conduct words
 * (rude, shouted, no reply) that the recogniser, choosing one route, leaves out. The whole story's route comes
 * first, then the others in the order their clauses appear.
 */
import type { Locale, Route, RouteClassifier } from '../domain/routes';

/** How sure the recogniser must be of a clause's route before it counts as a second route. */
export const CLAUSE_CONFIDENCE = 0.55;

const CONDUCT = [
  /(?<![\p{L}])(?:onbeleefd|onvriendelijk|grof|brutaal|respectloos|arrogant|botte?|kortaf|uitgescholden|uitschelden|schreeuwde|schreeuwen|snauwde|gesnauwd|uitgelachen|vernederd|beledigd|discriminatie|gediscrimineerd|neerbuigend|niet\s+serieus\s+genomen)(?![\p{L}])/iu,
  /(?:niemand|nooit|geen)\s+(?:\p{L}+\s+){0,3}(?:reageerde|gereageerd|reactie|antwoord|teruggebeld|terug\s+gebeld|teruggemaild)|niet\s+(?:\p{L}+\s+){0,2}(?:teruggebeld|gereageerd|geantwoord)|(?:nooit|niet)\s+(?:meer\s+)?iets\s+(?:van\s+)?gehoord/iu,
  /(?<![\p{L}])(?:rude|impolite|unfriendly|disrespectful|arrogant|shouted|yelled|screamed|snapped|insulted|humiliated|laughed\s+at|discriminat\p{L}*|condescending|hung\s+up\s+on\s+me)(?![\p{L}])/iu,
  /(?:nobody|no\s+one|never|no)\s+(?:\p{L}+\s+){0,3}(?:responded|replied|answered|reply|response|called\s+(?:me\s+)?back|got\s+back)|(?:didn'?t|did\s+not|never)\s+(?:\p{L}+\s+){0,2}(?:respond|reply|answer|call\s+(?:me\s+)?back|get\s+back)/iu,
];

/** A decision refused or rejected: a bezwaar, whatever else the story is about. */
const DECISION = [
  /(?:vergunning|aanvraag|uitkering|subsidie|bezwaar|ontheffing|parkeervergunning|toeslag|verzoek)\p{L}*\s+(?:\p{L}+\s+){0,4}(?:is\s+|werd\s+|zijn\s+)?(?:afgewezen|geweigerd|niet\s+verleend|ingetrokken)|(?:afgewezen|geweigerd)\s+(?:\p{L}+\s+){0,2}(?:vergunning|aanvraag|uitkering|subsidie)/iu,
  /(?:permit|application|benefit|licen[cs]e|subsidy|exemption|request)\s+(?:\p{L}+\s+){0,4}(?:was\s+|were\s+|has\s+been\s+|got\s+)?(?:refused|rejected|denied|turned\s+down|revoked|withdrawn)|(?:refused|rejected|denied|turned\s+down)\s+(?:my\s+|the\s+|our\s+)?(?:\p{L}+\s+)?(?:permit|application|benefit|licen[cs]e)/iu,
];

/** Clauses of at least four words: sentences, and parts joined by "en/maar/and/but" or a semicolon. */
export function clauses(text: string): string[] {
  const parts = text
    .split(/(?<=[.!?;])\s+|\s*;\s*|,?\s+(?:maar|en\s+toen|en\s+ook|and\s+then|and\s+also|but|en|and|ook|also)\s+/i)
    .map((p) => p.trim())
    .filter((p) => p.split(/\s+/).length >= 4);
  return parts.length > 1 ? parts : [];
}

export async function routesOf(text: string, locale: Locale, classifier: RouteClassifier): Promise<Route[]> {
  const out: Route[] = [];
  const add = (r: string) => {
    if (r !== 'unclear' && !out.includes(r as Route)) out.push(r as Route);
  };
  const whole = await classifier.classify(text, locale);
  add(whole.route);
  for (const clause of clauses(text).slice(0, 8)) {
    const c = await classifier.classify(clause, locale);
    if (c.confidence >= CLAUSE_CONFIDENCE) add(c.route);
  }
  if (out.length > 0 && !out.includes('complaint') && CONDUCT.some((re) => re.test(text))) add('complaint');
  if (out.length > 0 && !out.includes('objection') && DECISION.some((re) => re.test(text))) add('objection');
  return out;
}
