/**
 * Every route that applies to a story (issue 11): the route recogniser reads the whole story, then each clause
 * ("my permit was refused | and the officer was rude"); a few rules add a complaint for conduct words
 * (rude, shouted, no reply) that the recogniser, choosing one route, leaves out. The whole story's route comes
 * first, then the others in the order their clauses appear.
 */
import type { Locale, Route, RouteClassifier } from '../domain/routes';
import { detectHandlingComplaint } from '../routing/rules';

/** How sure the recogniser must be of a clause's route before it counts as a second route. */
export const CLAUSE_CONFIDENCE = 0.7;

const CONDUCT = [
  /(?<![\p{L}])(?:onbeleefd|onvriendelijk|grof|brutaal|respectloos|arrogant|botte?|kortaf|uitgescholden|uitschelden|schreeuwde|schreeuwen|snauwde|gesnauwd|uitgelachen|vernederd|beledigd|discriminatie|gediscrimineerd|neerbuigend|niet\s+serieus\s+genomen)(?![\p{L}])/iu,
  /(?:niemand|nooit|geen)\s+(?:\p{L}+\s+){0,3}(?:reageerde|gereageerd|reactie|antwoord|uitgelegd|uitleg|geholpen|geluisterd|teruggebeld|terug\s+gebeld|teruggemaild)|niet\s+(?:\p{L}+\s+){0,2}(?:teruggebeld|gereageerd|geantwoord)|(?:nooit|niet)\s+(?:meer\s+)?iets\s+(?:van\s+)?gehoord/iu,
  /(?<![\p{L}])(?:rude|impolite|unfriendly|disrespectful|arrogant|shouted|yelled|screamed|snapped|insulted|humiliated|laughed\s+at|discriminat\p{L}*|condescending|hung\s+up\s+on\s+me)(?![\p{L}])/iu,
  /(?:never\s+showed\s+up|didn'?t\s+show\s+up|kwam\s+niet\s+opdagen|is\s+niet\s+(?:op\s+)?komen\s+opdagen|kwam\s+(?:de\s+)?afspraak\s+niet\s+na)/iu,
  /(?:nobody|no\s+one|never|no)\s+(?:\p{L}+\s+){0,3}(?:responded|replied|answered|reply|response|called\s+(?:me\s+)?back|got\s+back)|(?:didn'?t|did\s+not|never)\s+(?:\p{L}+\s+){0,2}(?:respond|reply|answer|call\s+(?:me\s+)?back|get\s+back)/iu,
];

/** A decision refused or rejected: a bezwaar, whatever else the story is about. */
const DECISION = [
  /(?:vergunning|aanvraag|uitkering|subsidie|bezwaar|ontheffing|parkeervergunning|toeslag|verzoek)\p{L}*\s+(?:\p{L}+\s+){0,4}(?:is\s+|werd\s+|zijn\s+)?(?:afgewezen|geweigerd|niet\s+verleend|ingetrokken|stopgezet|beëindigd|gestopt|verlaagd|teruggevorderd)|(?:afgewezen|geweigerd)\s+(?:\p{L}+\s+){0,2}(?:vergunning|aanvraag|uitkering|subsidie)/iu,
  /(?:permit|application|benefit|licen[cs]e|subsidy|exemption|request)\s+(?:\p{L}+\s+){0,4}(?:was\s+|were\s+|has\s+been\s+|got\s+)?(?:refused|rejected|denied|turned\s+down|revoked|withdrawn|stopped|cut\s+off|terminated|reduced|reclaimed)|(?:refused|rejected|denied|turned\s+down)\s+(?:my\s+|the\s+|our\s+)?(?:\p{L}+\s+)?(?:permit|application|benefit|licen[cs]e)/iu,
];

/** Damage the gemeente caused: a claim, whatever else the story is about. */
const DAMAGE = [
  /(?:gevallen|gestruikeld|uitgegleden)\b.*\b(?:kapot|gebroken|gewond|schade|blessure)|(?:schade\s+aan|beschadigd|kapot\s+gereden|tegen\s+mijn\s+(?:auto|fiets))|(?:boom|tak|paal)\p{L}*\s+(?:\p{L}+\s+){0,3}(?:op|tegen)\s+mijn/iu,
  /(?:fell|tripped|slipped)\b.*\b(?:broke|broken|injured|hurt|damage)|(?:damaged|dented|scratched|smashed)\s+(?:my|our)\s+(?:car|bike|bicycle|house|fence|window)|(?:tree|branch|pole)\s+(?:\p{L}+\s+){0,3}(?:fell\s+)?on\s+(?:my|our)/iu,
];
/** Something broken in the public space, now: a report ("melding"). */
const DEFECT = [
  /(?:lantaarnpaal|straatlantaarn|stoeptegel|stoep|weg|fietspad|riool|put|container|afval|vuilnis|grofvuil|boom|speeltuin|verkeerslicht)\p{L}*\s+(?:\p{L}+\s+){0,4}(?:is|zijn|ligt|liggen|staat|staan)\s+(?:al\s+(?:\p{L}+\s+){0,3})?(?:kapot|stuk|defect|verstopt|vol|los|omgevallen)|\b(?:gat|kuil|gaten)\s+in\s+de\s+(?:weg|straat|stoep)/iu,
  /(?:street\s*(?:light|lamp)|lamp\s*post|pavement|sidewalk|road|cycle\s+path|sewer|drain|container|rubbish|bin|playground|traffic\s+light)s?\s+(?:\p{L}+\s+){0,4}(?:is|are|has\s+been|have\s+been)\s+(?:still\s+)?(?:broken|out|blocked|overflowing|damaged|loose)|\b(?:pothole|potholes)\b/iu,
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
  // A complaint about how a report, objection or claim was handled is a complaint only: the clause that names the
  // report is not a second route ("mijn melding is drie maanden oud en ik hoorde niets").
  const handling = whole.route === 'complaint' && detectHandlingComplaint(text, locale) !== undefined;
  if (!handling) {
    for (const clause of clauses(text).slice(0, 8)) {
      const c = await classifier.classify(clause, locale);
      // 'other' (a general question) is never a second route
      if (c.confidence >= CLAUSE_CONFIDENCE && c.route !== 'other') add(c.route);
    }
  }
  if (out.length > 0 && !out.includes('complaint') && CONDUCT.some((re) => re.test(text))) add('complaint');
  if (out.length > 0 && !out.includes('objection') && !out.includes('tax-objection') && DECISION.some((re) => re.test(text))) add('objection');
  if (out.length > 0 && !handling && DAMAGE.some((re) => re.test(text))) add('damage');
  if (out.length > 0 && !handling && DEFECT.some((re) => re.test(text))) add('report');
  // Several routes matter when one is a complaint (the complaint is filed, the rest referred); a damage claim
  // about a pothole is a claim, not also a report.
  return out.includes('complaint') ? out : out.slice(0, 1);
}
