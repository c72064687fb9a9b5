/**
 * The one understanding step (issue 11). `createUnderstander` loads what it needs once (the intent model and the
 * route recogniser); then `understand` reads one citizen message: what the citizen wants (intent), every field it
 * contains whatever was asked, and for a story every route that applies. Pure: no botbuilder, no I/O per call.
 *
 * How a message is read:
 * 1. A language the bot does not speak -> intent 'unclear' with `unsupportedLanguage`.
 * 2. Fields: date (dates.ts), place and person (src/domain/extract.ts rules, or the whole answer where that was
 *    asked), solution, and contact details (contact.ts), with `asked` making the field asked for read freely.
 * 3. Intent: a few exact rules (stop, restart, language, skip), then the trained NLP.js intent model
 *    (intentModel.ts) for short messages; long messages are answers (a story that mentions "stop" or
 *    "medewerker" is still a story). An answer to "who?" that names a person is an answer, not a request for one;
 *    a protest ("dat heb ik al gezegd!!") is 'unclear' unless it also gives data ("1183 TR zei ik net").
 * 4. Routes: for a story, every route that applies (routes.ts).
 */
import type { Locale, Route, RouteClassifier } from '../domain/routes';
import { createRouteClassifier } from '../routing/classifier';
import { findPerson, findPlace } from '../domain/extract';
import { extractContact } from './contact';
import { looksLikeDate, understandDate } from './dates';
import { INTENT_LABELS, type IntentLabel, type IntentModel, type IntentScores, loadIntentModels } from './intentModel';
import { detectUnsupportedLanguage } from './language';
import { normalise } from './normalise';
import { routesOf } from './routes';
import type { Asked, Question, UnderstandInput, Understander, Understanding, UnderstoodFields } from './types';

export * from './types';
export { formatPeriod, isMoreThanAYearAgo, understandDate } from './dates';
export { detectUnsupportedLanguage } from './language';

export interface UnderstanderOptions {
  /** The route recogniser; default: the project's (createRouteClassifier); null: no routes. */
  classifier?: RouteClassifier | null;
  /** Keep the internal `label` (the intent model's label, or 'rule') on results: for evaluation and debugging. */
  explain?: boolean;
}

/** Messages are read up to this length (bounds the time per message). */
const MAX_CHARS = 4000;
/** Longer messages are answers (stories), never commands or questions. */
const STORY_WORDS = 25;
/** Messages not ending in "?" with more words than this are answers. */
const STATEMENT_WORDS = 14;
/** The intent model must be this sure, and this far ahead of the runner-up. */
const MIN_SCORE = 0.45;
const MIN_MARGIN = 0.12;

/** Chat shorthand, expanded before the rules and the model read a message ("wnr hoor ik wat", "pls call me"). */
const SLANG: Record<string, string> = {
  wnr: 'wanneer', wrm: 'waarom', k: 'ik', n: 'een', ff: 'even', aub: 'alstublieft', svp: 'alstublieft', mss: 'misschien',
  nie: 'niet', nx: 'niks', thx: 'thanks', pls: 'please', plz: 'please', ur: 'your', idk: 'i don t know', dunno: 'don t know',
  asap: 'as soon as possible', wanna: 'want to', gonna: 'going to', cuz: 'because', bc: 'because', tbh: '', lol: '', pfff: '', pff: '',
};
export const expandSlang = (normalised: string) =>
  normalised
    .split(' ')
    .map((w) => SLANG[w] ?? w)
    .filter(Boolean)
    .join(' ');

export const norm = normalise;

type Command = Pick<Understanding, 'intent' | 'language'>;
const EXACT: [RegExp, Command][] = [
  [/^(help|hulp|help me|helpen|menu|\?+|h e l p)$/, { intent: 'help' }],
  [/^(stop( it| this| now| nu| ermee| daarmee| dit| alsjeblieft| please| maar)?|stoppen|annuleer|annuleren|afbreken|cancel|quit|exit|abort|laat maar|laat maar zitten|never mind|nevermind|forget it|hou op|kappen)$/, { intent: 'stop' }],
  [/^(opnieuw|opnieuw beginnen|begin opnieuw|begin maar opnieuw|overnieuw|herstart|herstarten|restart|start over|start again|reset|begin again|redo|redo everything|do it again|over again|nog een keer|nog eens)$/, { intent: 'restart' }],
  [/^(huh|he|hè|eh|uh|uhm|hm|hmm|pardon|wat|what|sorry what|hä)$/, { intent: 'unclear' }],
  [/^(i don t get (it|this)|i dont get (it|this)|i dont understand( this| it)?|ik snap (het|dit) niet|ik begrijp (het|dit) niet|i don t understand( this| it)?|i m confused|ik snap er niks van|ik snap er niets van)$/, { intent: 'help' }],
  [/^(what s the purpose of this( chat| bot)?|what is the purpose of this( chat| bot)?|what is this (chat|bot) for|what s this (chat|bot) for|waar is (deze|dit) (chat|bot|gesprek) voor|waar dient (deze|dit) (chat|bot) voor|how do i go back|hoe ga ik terug|i need help|ik heb hulp nodig|help me please|ik heb hulp nodig (met|bij) (dit|deze|het) (formulier|vraag|chat)|i need (help|assistance) with (this|the) (form|question|chat))$/, { intent: 'help' }],
  [/^(i don t want to (continue|go on)|ik wil niet verder( gaan)?|(please )?end (the|this) (conversation|chat)( please)?|beeindig (het|dit) gesprek( alstublieft| graag)?|stop (het|dit) gesprek|ik wil het gesprek beeindigen)$/, { intent: 'stop' }],
  [/^(cheers( mate)?|ta|bedankt en doei|thanks and bye)$/, { intent: 'goodbye' }],
  [/^(wat bedoel (je|jij|u)|wat bedoelt u|what do you mean|wat betekent|what does|what s that|wat is dat)\b/, { intent: 'help' }],
  [/^((let s|lets|i want to|can we|kan ik|ik wil|we) )?(start|begin|beginnen) (again|over|opnieuw|overnieuw|from scratch|from the (beginning|start)|van voren af aan)( please| graag)?$/, { intent: 'restart' }],
  [/^(doei|doeg|dag|daag|dag dag|doei doei|tot ziens|tot later|bye|bye bye|bye now|goodbye|good bye|see you|see ya|cya|cu|ttyl|cheers|ciao|later)$/, { intent: 'goodbye' }],
  [/^(ik hou (er )?mee op|ik hou ermee op|ik stop( ermee)?|ik kap ermee|ik geef het op|i quit|i m quitting( this)?|i am quitting( this)?|i give up|i m done with this)$/, { intent: 'stop' }],
];
const LANGUAGE_WORD: [RegExp, Locale][] = [
  [/\b(english|engels|engelse|inglés|anglais|englisch)\b/, 'en'],
  [/\b(nederlands|dutch|nederlandse|hollands|niederländisch)\b/, 'nl'],
];
const LANGUAGE_ASK = /^(in (het )?)?\S+( taal)?( (please|pls|graag|alstublieft|aub|svp|bitte))?$|\b(speak|spreek|spreekt|praten|praat|talk|switch|overschakelen|continue|verder|kan het|can we|could we|can you|kunnen we|kunt u|liever|prefer|rather|please|graag|alstublieft|in (het )?)\b/;

/** Asking for a person in words no model is needed for. */
const PERSON_STRONG =
  /\b(een (echt(e)? )?mens|echt(e)? persoon|echte medewerker|(mij|me) (\w+ )?terugbellen|^terugbellen$|teruggebeld worden|(graag|wil|kan ik|doe|indienen) (\w+ ){0,2}terugbelverzoek|^(een )?terugbelverzoek|bel (me|mij) (\w+ )?(terug|op)|geen (robot|computer|chatbot)|real person|real human|a human|human being|call me back|callback|(be|get|being) called back|ring me|phone me|not a (bot|robot|computer)|^(operator|representative|human|agent|a person|customer service)( please| pls)?$|(can|could|may) i (phone|call|ring) (you|someone|somebody|a person)|kan ik (u|jullie|iemand) (bellen|opbellen)|(wil|graag|liefst|liever|kan ik) (\w+ )?gebeld worden|(want|like|d like) (to get|to receive) a (call|phone call)|(mij|me) (\w+ ){0,2}(bellen|opbellen|belt|opbelt|terugbelt)|^bel (me|mij)( maar| liever| gewoon| even| alstublieft| aub)?$|(call|ring|phone) me (\w+ )?(on|at|back)|(iemand|someone|somebody) (\w+ ){0,2}(contact|bellen|call|phone|ring)( \w+)? (me|mij)|(contact|neem|neemt) (\w+ ){0,2}met (mij|me) op|(mag|kan) ik (uw|je|jouw|een|de) (collega|leidinggevende|chef|manager)( \w+)?|can i (have|get|speak to|talk to) (your|a|the) (colleague|manager|supervisor|boss)( \w+)?|^(even |ff )?(bellen|bel me|bel mij)( alstublieft| graag| please)?$|\b(please|can you|could you|would you)( \w+)? (call|ring|phone) me\b|^(call|ring|phone) me\b|(get|be|getting) in touch with (me|us)|contact (met )?(me|mij) (op)?nemen|contact met (me|mij) op( te)? nemen|(geef|give|get) (me|mij) (je|jouw|uw|your|a|the|een|de) (leidinggevende|manager|supervisor|chef|baas|boss)|(wil|want|like) (een |a )?(telefoontje|phone call)|^doorverbinden$|verbind (me|mij) door|(telefoonnummer|nummer|phone number|number) (\w+ ){0,2}(waar|waarop|where|to|om) (\w+ ){0,5}(bereiken|bellen|spreken|reach|call|speak|talk|ring)|^transfer me|wie kan ik bellen|who can i (call|ring|phone)|(afspraak|appointment) (om|to) (\w+ ){0,3}(bespreken|praten|discuss|talk)|persoonlijk contact|personal contact|contact met een (medewerker|ambtenaar|mens|persoon)|contact with (a|an) (person|human|employee|staff member))\b/;
/** "ik wil een medewerker spreken", "can I talk to someone": a request (present tense) to speak to someone. */
const SPEAK_TO =
  /\b(spreken|praten|spreek|praat|speak|talk|chat|explain|uitleggen|bespreken|discuss|overleggen|afhandelen|regelen|oplossen|sort this out|sort it out|handle this|deal with this)\b.*\b(iemand|medewerker|mens|persoon|ambtenaar|leidinggevende|manager|supervisor|someone|somebody|employee|person|human|staff|agent|officer)\b|\b(iemand|medewerker|mens|persoon|ambtenaar|someone|somebody|employee|person|human|staff member|agent|people|one of you)\b.*\b(spreken|praten|aan de (lijn|telefoon)|on the (phone|line))\b/;
const REQUEST = /\b(wil|wil graag|kan|kun|kunt|mag|zou|graag|liever|liefst|eis|demand|want|would|could|can|may|let me|i d|please|need|is er|beschikbaar|mogelijk|available|is there|is anyone|possible)\b/;
const PAST = /\b(wilde|wou|was|waren|werd|had|hadden|heeft|weigerde|wanted|were|refused|did|didn t|would not|wouldn t)\b/;
/** Question form: a question mark, or a question word first. */
const QUESTION_FORM =
  /\?\s*$|^(hoelang|wat|waarom|hoe|wie|wanneer|waar|welke|hoeveel|kan|kun|kunt|mag|moet|wordt|worden|krijg|krijgt|is|zijn|heb|heeft|ga|gaat|blijft|what|why|how|who|when|where|which|can|could|will|would|do|does|is|are|may|should|must|am)\b/;
/** Keyword questions, where a word says it all. */
const QUESTION_WORDS: [RegExp, Question][] = [
  [/\b(identiteit|identity)\b.*\b(geheim|prive|private|secret|verborgen|hidden)\b|\b(weten|know|find out|te weten)\b.*\bwie\b.*\b(geklaagd|klaagt|klacht)\b|\bknow who (complained|made the complaint)\b/, 'anonymous'],
  [/\b(vertrouwelijk|confidential|confidentiality|verkopen|sell|selling)\b/, 'privacy'],
  [/\b(wachttijd|waiting time|response time|behandeltermijn|reactietermijn|termijn)\b|^(wanneer|when)\b.*\b(contact|terug|back|reactie|antwoord|answer|reply|hear|horen)\b/, 'duration'],
  [/\b(klachtenprocedure|complaints? procedure|bevestiging|confirmation)\b|^(what s going to happen|what is going to happen|wat gaat er (\w+ )?gebeuren)\b/, 'procedure'],
  [/\b(degene|de persoon|the person|the employee|de medewerker|the official|de ambtenaar)\b.*\b(over wie ik klaag|i complain about|i m complaining about|ik klaag)\b/, 'who-handles'],
  [/\b(bewaren|bewaard|opslaan|opgeslagen|verwijderd|verwijderen|gedeeld|delen|keep|kept|store|stored|delete|deleted|share|shared|see|zien|lezen|read|access|gebeurt|happens|happen|doen|do|record|recorded)\b.*\b(gegevens|informatie|data|details|information|persoonsgegevens|gesprek|chat|conversation)\b|\b(gegevens|data|details|information|adres|address|naam|name|nummer|number)\b.*\b(bewaard|opgeslagen|gedeeld|doorgegeven|kept|stored|shared|passed on|deleted|veilig|safe|secure|zien|lezen|inzien)\b/, 'privacy'],
  [/^(waarom|waarvoor|why|what for|what do you need)\b.*\b(naam|adres|telefoon\w*|nummer|e ?mail\w*|gegevens|name|address|phone|number|email|details|postcode)\b|\b(naam|adres|telefoonnummer|e ?mailadres|name|address|phone number|email)\b.*\b(verplicht|nodig voor|mandatory|required|needed for|for what)\b/, 'why-data'],
  [/\b(anoniem|anonymous|anonymously|anonymity|anonimiteit)\b|\b(naam|name)\b.*\b(erbij|on it|weglaten|left out|geheim|secret)\b|\b(without|zonder)\b.*\b(name|naam)\b/, 'anonymous'],
  [/^(wat gebeurt er|what happens|what will happen|wat gaat er (nu )?gebeuren|hoe gaat het (nu )?verder|what s next|what is next|what comes next|wat is de volgende stap|what is the next step|en dan|and then what)\b/, 'procedure'],
  [/^(hoe ?lang|hoe snel|how long|how soon|how quickly|binnen hoeveel|within how)\b|^(wanneer|when) (hoor|krijg|will i (hear|get))\b/, 'duration'],
  [/\b(privacy|persoonsgegevens|personal data|gdpr|avg)\b/, 'privacy'],
  [/\b(klachtenfunctionaris|complaints officer)\b/, 'who-handles'],
];
/** Thanks or wishes that close the conversation. */
/** "verder niets, bedankt", "nothing else, thanks" */
const NOTHING_ELSE_THANKS =
  /\b(verder niets|verder niks|niets meer|niks meer|nothing else|nothing more|dat was alles|that s all|that was all|dat is alles|that s it)\b.*\b(bedankt|dank|thanks|thank you|dankjewel)\b|\b(bedankt|dank je|dank u|thanks|thank you)\b.*\b(verder niets|verder niks|nothing else|dat was alles|that s all|that s it)\b/;
const RESTART_ANY =
  /\b(opnieuw (beginnen|starten)|overnieuw (beginnen|starten)|van voren af aan|start (over|again|afresh)|begin again|from scratch|start a new complaint|een nieuwe klacht beginnen|opnieuw begin)\b/;
const CLOSING =
  /^(bedankt|dank je|dank u|dankjewel|dankuwel|thanks|thank you|cheers|top|oke|ok|okay|prima|fijn)?\s*(wel\s*)?(bedankt|dankjewel|dankuwel|dank je( wel)?|dank u( wel)?|thanks|thank you|thx|ty|merci|fijne? (dag|avond|middag|ochtend|weekend)( nog)?|prettige (dag|avond)|have a (nice|good|great) (day|evening|weekend)|enjoy your (day|evening))\b/;
/** Words that mark a correction ("fout", "moet ... zijn", "should be"). */
const CORRECTION_CUE =
  /\b(is not my|s not my|isn t my|is mijn \w+ niet|niet mijn|fout|verkeerd|onjuist|klopt (niet|het niet)|niet goed|niet juist|moet .+ zijn|moet zijn|moet worden|moet anders|verander|wijzig|corrigeer|aanpassen|pas .+ aan|ik bedoel(de)?|niet .+ maar|wrong|incorrect|not right|not correct|mistake|should be|must be|needs to be|change|correct (it|that|the|my)|update|edit|i meant|not .+ but|instead)\b/;

const SKIP = /^(i don t know( tbh)?|don t know|no idea tbh|no clue( anymore)?|geen idee meer|weet ik niet meer|geen flauw idee|not a clue|heb ik niet|heb geen|geen telefoon|i don t have (one|a phone)|n a|weet ik niet|weet ik het niet|ik weet het niet|geen idee|overslaan|sla over|sla maar over|skip|skip this|pass|nvt|n v t|niet van toepassing|i don t know|i dont know|dont know|no idea|dunno|not sure|weet niet|geen|none|nothing|niets|niks|liever niet|rather not)$/;
const YES_NO = /^(ja|jawel|jazeker|ja hoor|ja graag|ja dat klopt|klopt|dat klopt|correct|prima|goed|oke|ok|okay|yes|yes please|yep|yeah|sure|that s right|right|nee|nee hoor|nee dank je|neen|no|nope|no thanks|niet|not really|klopt niet)$/;

/** Verbs of asking for contact: "een medewerker" names a person; "een medewerker spreken" asks for one. */
const CONTACT_VERB = /\b(spreken|praten|spreek|praat|bellen|bel|terugbellen|teruggebeld|called back|call back|terugbelverzoek|contact|gesprek|talk|speak|call|callback|phone me|ring|human|mens|echt persoon|real person|chatbot|robot)\b/;

/** "is fout, het moet ... zijn", "should be ...": the field the citizen corrects, and the new value. */
const FIELD_WORDS: [RegExp, Asked][] = [
  [/\b(telefoon(nummer)?|mobiel(e nummer)?|nummer|phone( number)?|mobile|number)\b/, 'phone'],
  [/\b(e ?mail(adres)?|mailadres|email address)\b/, 'email'],
  [/\b(postcode|zip( code)?|post code|postal code)\b/, 'postcode'],
  [/\b(woonplaats|stad|town|city)\b/, 'city'],
  [/\b(huisnummer|house number|straat|street)\b/, 'street'],
  [/\b(adres|address)\b/, 'address'],
  [/\b(naam|achternaam|voornaam|name|surname)\b/, 'name'],
  [/\b(datum|dag|wanneer|date|day|when|maand|month)\b/, 'when'],
  [/\b(plek|plaats|locatie|waar|place|location|where)\b/, 'where'],
  [/\b(persoon|wie|medewerker|person|who|employee)\b/, 'who'],
  [/\b(oplossing|wens|solution|wish)\b/, 'solution'],
];
const NEW_VALUE =
  /(?:moet|moeten|zou|hoort)\s+(?:het\s+|dat\s+|deze\s+|die\s+)?(?:zijn\s*:?\s*|worden\s*:?\s*)?(.+?)(?:\s+zijn)?[.!]*$|(?:should|must|needs\s+to)\s+be\s+(.+?)[.!]*$|(?:niet\s+.+?\s+maar|not\s+.+?\s+but)\s+(.+?)[.!]*$|(?:\bis\b|\bwas\b|het\s+is|it\s*'?s|it\s+is)\s+(?!fout|niet|verkeerd|wrong|incorrect|not)(.+?)[.!]*$|(?:naar|in|to|into)\s+(.+?)[.!]*$|[:]\s*(.+)$/i;

const PERSON_SKIP_TAIL = /\s*[,;]\s*(?:no idea|not sure|don'?t know|i don'?t know|weet ik niet|geen idee|ken ik niet)\b.*$|\s*[,;(]?\s*(?:de\s+|zijn\s+|haar\s+|the\s+|his\s+|her\s+)?(?:naam|name)\s+(?:weet\s+ik\s+(?:niet|niet meer)|ken\s+ik\s+niet|onbekend|i\s+don'?t\s+know|unknown|not\s+known)\)?\.?$|\s*[,;]\s*(?:weet\s+ik\s+(?:verder\s+)?niet|geen\s+idee|i\s+don'?t\s+know)\.?$/i;

function contactAsked(asked: Asked | undefined): boolean {
  return asked === 'name' || asked === 'phone' || asked === 'email' || asked === 'address' || asked === 'street' || asked === 'postcode' || asked === 'city';
}

/** "weet ik niet hoe hij heette": no person, unless the answer still describes one ("een man, naam weet ik niet"). */
const UNKNOWN = /\b(weet (ik )?(het )?(nog )?niet|geen idee|geen flauw idee|ken ik niet|don t know|dont know|no idea|not sure|can t remember|cannot remember|weet niet meer|vergeten|forgot)\b/;
/** "niemand speciaal", "not anyone in particular": nobody in particular. */
const NOBODY = /^(niet iemand|niemand|no one|nobody|not anyone|not someone|geen persoon|geen specifiek iemand)( \w+)?( speciaal| specifiek| in particular| specific)?\b/;
const SOMEONE = /\b(man|vrouw|meneer|mevrouw|jongen|meisje|iemand|medewerker|medewerkster|ambtenaar|dame|heer|guy|woman|lady|gentleman|someone|somebody|person|employee|officer|clerk|girl|boy)\b/;

/** A wish in a story: "Ik wil excuses.", "I'd like an apology." (the sentence, as the citizen wrote it). */
const SOLUTION_IN_STORY =
  /(?:^|[.!?\n]\s*|,\s*(?:en\s+|and\s+)?)((?:ik|wij|we)\s+(?:wil(?:len)?|zou(?:den)?\s+graag|verwacht(?:en)?|eis(?:en)?)\s+(?:graag\s+|wel\s+|gewoon\s+)?(?:excuses|een\s+excuus|mijn\s+geld\s+terug|ons\s+geld\s+terug|schadevergoeding|compensatie|een\s+vergoeding|een\s+gesprek|dat\s+(?:de|het|ze|hij|zij|jullie|u|er|dit)\b)[^.!?\n]*|(?:i|we)(?:\s+|(?=['’]))(?:want|would\s+like|['’]d\s+like|expect|demand)\s+(?:an\s+apology|my\s+money\s+back|our\s+money\s+back|compensation|a\s+refund|a\s+meeting|a\s+conversation|them\s+to|you\s+to|the\s+(?:council|municipality)\s+to)[^.!?\n]*)/iu;

/** "nee, geen oplossing", "hoeft niet": no solution wanted. */
const NO_SOLUTION = /^(nee |no )?(geen|niets|niks|nothing|none|no)( oplossing| solution| wens| idee| speciale wens)?( nodig| needed| necessary)?$|^(hoeft niet|niet nodig|not needed|no need|nvt)$/;

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'poiuytrewq', 'lkjhgfdsa', 'mnbvcxz'];

/** A question that asks something (verb first with a subject, or a question word), not an answer said unsurely ("dinsdag?"). */
const YES_NO_START =
  /^(?:(?:en|and|maar|but|oh|nou|well|so|dus|sorry|vraagje|een vraag|nog een vraag|quick question|one question|one more question)\s+)*(?:(?:kan|kun|kunt|mag|moet|moeten|hoef|hoeft|kost|kosten|krijg|krijgt|heb|heeft|hebben|is|zijn|ben|bent|wordt|worden|word|zal|zou|zullen|wil|wilt|gaat|ga|gaan|doe|doet|doen|telt|helpt|werkt|blijft|staat|geldt|neemt|komt|betaal|betaalt) (?:ik|u|je|jij|jullie|we|wij|dit|dat|het|er|mijn|de|die|een|iemand|hij|zij|ze|men|deze|daar|hier)|(?:can|could|may|must|should|shall|will|would|do|does|did|is|are|am|was|have|has|need) (?:i|you|we|this|that|it|there|my|the|someone|somebody|anyone|they|he|she|one|a|an))\b/;
const WH_START = /^(?:(?:en|and|maar|but|oh|nou|well|so|dus|sorry)\s+)*(?:wat|waarom|hoe|wie|wanneer|waar|welke|hoeveel|what|why|how|who|when|where|which)\b/;
function openQuestion(n: string, text: string): boolean {
  return YES_NO_START.test(n) || (WH_START.test(n) && /\?\s*$/.test(text));
}
/** Words that make a question about filling in this conversation (help), not about something else. */
const HELP_WORDS = /\b(hier|here|invullen|fill|typ|typen|type|bedoel|bedoelt|mean|werkt dit|does this work|how this works|antwoord(en)? geven|answer (this|that|the question)|vraag|question|help|hulp|helpen|snap|begrijp|understand|terug|back|knop|button)\b/;
/** Words that ask for contact with a person ("iemand meenemen" asks no contact, "iemand spreken" does). */
const CONTACT_ASK = /\b(spre\w*|pra\w*|bel\w*|opbel\w*|terugbel\w*|teruggebeld|contact|bereik\w*|spea\w*|talk\w*|call\w*|ring|phone|reach|human|mens|persoon|person|medewerker|employee|staff member)\b/;
/** What each kind of question is about: a model label without one of its words is another question. */
const QUESTION_TOPIC: Partial<Record<Question, RegExp>> = {
  anonymous: /\b(te horen|horen|told|tell|het ben|it was me|anoniem|anonymous|anonymously|anonimiteit|anonymity|naam|name|identiteit|identity|wie ik ben|who i am|weten|know|find out|geheim|secret|verborgen|hidden|zonder|without|erbij|on it)\b/,
  privacy: /\b(inzien|view|access|toegang|gegevens|data|details|informatie|information|privacy|avg|gdpr|bewaar\w*|keep|kept|store\w*|opgeslagen|opslaan|gedeeld|delen|share\w*|adres|address|nummer|number|zien|see|lezen|read|veilig|safe|secure|gesprek|conversation|chat|doorgegeven|passed|verwijder\w*|delete\w*|gebruik\w*|use|used)\b/,
  'why-data': /\b(naam|adres|telefoon\w*|nummer|mail\w*|gegevens|name|address|phone|number|email|e mail|details|postcode|nodig|need|needed|verplicht|mandatory|required|waarom|why|waarvoor)\b/,
  duration: /\b(lang|long|snel|soon|quick\w*|wanneer|when|dagen|days|weken|weeks|termijn|duurt|duren|take|takes|wacht\w*|wait\w*|hoor|hear|reactie|antwoord|answer|reply|response|tijd|time)\b/,
  procedure: /\b(gebeurt|gebeuren|happens|happen|next|volgende|daarna|hierna|nu|now|dan|then|verder|continue|procedure|stap|step|after|na|afterwards|vervolg)\b/,
  'who-handles': /\b(onafhankelijk|independent\w*|neutra\w*|impartial|objectie\w*|terecht|end up|ends up|zelf|himself|herself|themselves|wie|who|behandelt|behandelen|handles?|handled|deal|deals|leest|lezen|reads?|klachtenfunctionaris|officer|beoordeelt|judges?|kijkt|looks)\b/,
};

function refineQuestion(r: Understood, input: UnderstandInput): Understood {
  const text = input.text.slice(0, MAX_CHARS).trim();
  const n = expandSlang(norm(text));
  const words = n ? n.split(' ').length : 0;
  // a model's question kind needs a word of its topic: "moet ik een advocaat nemen?" is no question about duration
  if (r.intent === 'question' && r.question && r.question !== 'capabilities' && r.label?.startsWith('q-')) {
    const topic = QUESTION_TOPIC[r.question];
    if (topic && !topic.test(n)) return { intent: 'question', question: 'other', fields: {}, label: r.label };
  }
  if (words > 14 || !openQuestion(n, text)) return r;
  const f = r.fields;
  if (f.date || f.phone || f.email || f.postcode || f.street || f.houseNumber || f.name) return r;
  const storyAsked = input.asked === undefined || input.asked === 'story' || input.asked === 'more';
  // at the story, only a short yes/no question with a question mark ("kost dit geld?"); "waarom belt niemand terug?" is a story
  if (storyAsked && !(/\?\s*$/.test(text) && words <= 10 && YES_NO_START.test(n))) return r;
  const other: Understood = { intent: 'question', question: 'other', fields: {}, label: r.label };
  if (r.intent === 'answer' && r.label !== 'rule') return other;
  if (r.intent === 'answer' && r.label === 'rule' && (input.asked === 'who' || input.asked === 'where' || input.asked === 'solution')) return other;
  if (r.intent === 'help' && r.label === 'help' && YES_NO_START.test(n) && !HELP_WORDS.test(n)) return other;
  if (r.intent === 'person' && r.label === 'person' && !CONTACT_ASK.test(n)) return other;
  return r;
}

function storyLike(asked: Asked | undefined, words: number): boolean {
  return ((asked === 'story' || asked === 'more') && words >= 3) || (asked === undefined && words >= 6);
}

export interface Understood extends Understanding {
  /** internal: the label the intent model gave, for evaluation and debugging (not in the CLI output) */
  label?: IntentLabel | 'rule';
}

function extractFields(text: string, locale: Locale, now: Date, asked: Asked | undefined): UnderstoodFields {
  const fields: UnderstoodFields = {};
  const n = norm(text);
  const skip = SKIP.test(n) || YES_NO.test(n);
  const contactAsked = asked === 'name' || asked === 'phone' || asked === 'email' || asked === 'address' || asked === 'street' || asked === 'postcode' || asked === 'city';

  // Date
  if (asked === 'when') {
    if (!YES_NO.test(n)) {
      const d = understandDate(text, { locale, now, whole: true });
      if (d) fields.date = d;
    }
  } else if (!contactAsked) {
    const d = understandDate(text, { locale, now, whole: false });
    if (d && d.from) fields.date = d;
  }

  // Contact details (read first, so that a phone number is not a place and a street not a person)
  const contact = extractContact(text, asked);
  Object.assign(fields, contact.fields);

  if (!contactAsked && asked !== 'solution') {
    const place = findPlace(text, locale);
    const person = findPerson(text, locale);
    if (asked === 'where') {
      // A place none of the kinds names ("bij de milieustraat") is somewhere else; "weet ik niet meer waar" is none.
      const unknownPlace = UNKNOWN.test(n) && !place;
      if (!skip && !unknownPlace && !openQuestion(n, text)) fields.place = { kind: place?.kind ?? 'elsewhere', text: cleanAnswer(text.replace(/\?+\s*$/, '')) };
    } else if (place && !skip) fields.place = place;
    if (asked === 'who') {
      // "geen idee hoe ze heette, een blonde vrouw": the description after the not-knowing
    const answer = cleanAnswer(text.replace(/\?+\s*$/, '').replace(PERSON_SKIP_TAIL, '').replace(/^(?:geen idee|weet (?:ik )?(?:het )?niet(?: meer)?|no idea|i don'?t know|not sure)[^,;]*[,;]\s*(?=\S)/i, ''));
      const unknownOnly = UNKNOWN.test(norm(answer)) && !findPerson(answer, locale) && !SOMEONE.test(norm(answer));
      if (!skip && !unknownOnly && !NOBODY.test(norm(answer)) && answer && !SKIP.test(norm(answer)) && !openQuestion(n, text)) {
        const named = findPerson(answer, locale);
        fields.person = named ? { kind: named.kind, text: answer } : { kind: /\b(afdeling|department|team)\b/i.test(answer) ? 'department' : 'staff', text: answer };
      }
    } else if (person && !skip) fields.person = widenPerson(person, text);
  }
  const unsure = UNKNOWN.test(n) && n.split(' ').length <= 6;
  if (asked === 'solution' && !skip && !unsure && !openQuestion(n, text) && !NO_SOLUTION.test(n)) fields.solution = cleanAnswer(text);
  if (asked === undefined || asked === 'story' || asked === 'more') {
    const wish = SOLUTION_IN_STORY.exec(text);
    if (wish && !/klacht|complaint|indienen|file|submit|melden|report/i.test(wish[1])) fields.solution = cleanAnswer(wish[1]);
  }
  // The date said with a place or person ("op het gemeentehuis, vorige week donderdag") is not part of it.
  const dateWords = fields.date?.text;
  for (const k of ['place', 'person'] as const) {
    const f = fields[k];
    if (f && dateWords && f.text !== dateWords && f.text.includes(dateWords) && (asked === 'where' || asked === 'who')) {
      const rest = cleanAnswer(f.text.replace(dateWords, ' '));
      if (rest) fields[k] = { ...f, text: rest };
    }
  }
  return fields;
}

/**
 * "de man achter de balie", "the woman at the front desk", "de meneer aan de telefoon": the person is the whole
 * description, not "de man". The words after the person, when they say where he or she works.
 */
const PERSON_WHERE = new RegExp(
  String.raw`^\s+((?:achter|aan|bij|op|van|at|behind|on|from|in)\s+(?:de|het|the|die|dat|that|our|your|jullie|uw)?\s*(?:[\p{L}-]+\s+){0,2}?` +
    String.raw`(?:balie|loket|receptie|telefoon|telefoonlijn|informatiebalie|servicebalie|stadhuis|gemeentehuis|raadhuis|counter|desk|front\s+desk|reception(?:\s+desk)?|help\s?desk|phone|telephone|town\s+hall|city\s+hall|` +
    String.raw`afdeling\s+[\p{L}-]+|[\p{L}-]+\s+department|department|burgerzaken|parkeren|handhaving|vergunningen|sociale\s+zaken|wmo))(?![\p{L}])`,
  'iu',
);
function widenPerson<T extends { kind: string; text: string }>(person: T, text: string): T {
  const at = text.toLowerCase().indexOf(person.text.toLowerCase());
  if (at < 0) return person;
  const start = at + person.text.length;
  const m = PERSON_WHERE.exec(text.slice(start));
  return m ? { ...person, text: text.slice(at, start + m[0].length).trim() } : person;
}

function cleanAnswer(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/^[\s,;:.-]+|[\s,;:.]+$/g, '').trim();
}

function correctionFields(text: string, locale: Locale, now: Date): UnderstoodFields {
  const n = norm(text);
  // The field named first: "the place is wrong, it was on the phone" corrects the place, not the phone.
  let target: Asked | undefined;
  let at = Infinity;
  for (const [re, field] of FIELD_WORDS) {
    const m = re.exec(n);
    if (m && m.index < at) [target, at] = [field, m.index];
  }
  const m = NEW_VALUE.exec(text.replace(/^.*?(?:fout|verkeerd|klopt niet|niet goed|onjuist|wrong|incorrect|not right|mistake)\s*[,;:.!-]*\s*/i, ''));
  const value = (m ? (m.slice(1).find((x) => x !== undefined) ?? '').trim() : '')
    .replace(/\s+(?:not|niet|instead of|in plaats van|i\.p\.v\.?)\s+.*$/i, '')
    .replace(/^(?:het|de|it|the)\s+/i, (w) => (target === 'when' || target === 'where' || target === 'who' ? w : ''));
  const out: UnderstoodFields = {};
  // "het huisnummer is 14 en niet 41", "the house number should be 14": the number after the word
  const house = /\b(?:huisnummer|house number)\b\D*?(\d{1,5}\s?[a-z]?)(?![\p{L}\p{N}])/iu.exec(text);
  if (house && /\b(huisnummer|house number)\b/.test(n)) out.houseNumber = house[1].replace(/\s+/g, '').toUpperCase();
  if (value && !out.houseNumber) Object.assign(out, extractFields(value, locale, now, target ?? undefined));
  if (target === 'when' && !out.date && value) {
    const d = understandDate(value, { locale, now, whole: true });
    if (d) out.date = d;
  }
  // Anything else unmistakable in the message (a phone number, a date, a postcode)
  const all = extractFields(text, locale, now, 'summary');
  for (const [k, v] of Object.entries(all)) if ((out as Record<string, unknown>)[k] === undefined) (out as Record<string, unknown>)[k] = v;
  if (target !== undefined && target !== 'where') delete out.place;
  if (target !== undefined && target !== 'who') delete out.person;
  if (target === undefined && value) {
    // "niet aan de balie maar telefonisch": the new value only
    const place = findPlace(value, locale);
    if (place) out.place = place;
    else delete out.place;
    const person = findPerson(value, locale);
    if (person) out.person = person;
    else delete out.person;
  }
  return out;
}

function topLabels(scores: IntentScores): [IntentLabel, number, number] {
  let best: IntentLabel = 'answer';
  let bestScore = -1;
  let second = -1;
  for (const l of INTENT_LABELS) {
    const s = scores[l];
    if (s > bestScore) {
      second = bestScore;
      bestScore = s;
      best = l;
    } else if (s > second) second = s;
  }
  return [best, bestScore, Math.max(second, 0)];
}

export async function createUnderstander(opts: UnderstanderOptions = {}): Promise<Understander & { understand(input: UnderstandInput): Promise<Understood> }> {
  const classifier = opts.classifier === undefined ? await createRouteClassifier() : opts.classifier;
  const { models } = loadIntentModels();

  function modelScores(text: string, locale: Locale): IntentScores & { known: number } {
    const own = models[locale].scores(text);
    const other = models[locale === 'nl' ? 'en' : 'nl'].scores(text);
    // People mix languages: the other language's model counts when it knows more of the message.
    if (other.known > own.known) return { ...other.scores, known: other.known };
    return { ...own.scores, known: own.known };
  }

  function understandSync(input: UnderstandInput): Understood {
    return refineQuestion(decide(input), input);
  }

  function decide(input: UnderstandInput): Understood {
    const text = input.text.slice(0, MAX_CHARS).trim();
    const { locale, asked } = input;
    const now = input.now ?? new Date();
    const n = expandSlang(norm(text));
    const words = n ? n.split(' ').length : 0;
    if (!n) return { intent: 'unclear', fields: {} };

    // A short answer to a question about a name, street or town may be a foreign name, not a foreign language.
    const nameLike = words <= 3 && (contactAsked(asked) || asked === 'who' || asked === 'where');
    // an address abroad at an address question ("Hauptstraße 5, 10115 Berlin") is an address, not a foreign language
    const addressLike = (asked === 'address' || asked === 'street' || asked === 'city' || asked === 'name') && /\p{L}{3,}\s+\d{1,5}\b|\b\d{1,5}\s+\p{L}{3,}/u.test(text);
    const foreign = addressLike ? undefined : detectUnsupportedLanguage(text, { letters: !nameLike });
    if (foreign) return { intent: 'unclear', unsupportedLanguage: foreign, fields: {}, label: 'rule' };

    // "nee, stop", "ok doei": a short word before a command does not change it
    const bare = n.replace(/^(nee|neen|no|ok|oke|okay|ja|yes|dan|then|well|nou|dus|so|sorry)\s+/, '');
    for (const [re, cmd] of EXACT) if (re.test(n) || re.test(bare)) return { ...cmd, fields: {}, label: 'rule' };
    // "laat maar zitten, ik stop ermee", "forget it, I'm done with this": every clause the same command
    if (words <= 10 && /[,;.!]/.test(text)) {
      const clauses = text.split(/[,;.!]+/).map((c) => expandSlang(norm(c))).filter(Boolean);
      const cmds = clauses.map((c) => EXACT.find(([re]) => re.test(c))?.[1]);
      if (clauses.length > 1 && cmds.every((c) => c && c.intent === cmds[0]!.intent && c.intent !== 'unclear')) return { ...cmds[0]!, fields: {}, label: 'rule' };
    }
    if (words <= 8) {
      for (const [re, lang] of LANGUAGE_WORD) {
        if (re.test(n) && LANGUAGE_ASK.test(n) && !/\b(klacht|complaint|medewerker|employee)\b/.test(n)) {
          return { intent: 'language', language: lang, fields: {}, label: 'rule' };
        }
      }
    }
    if (SKIP.test(n) || YES_NO.test(n)) return { intent: 'answer', fields: {}, label: 'rule' };
    if (asked === 'when' && /^(nu|now|right now)$/.test(n)) return { intent: 'answer', fields: {}, label: 'rule' };

    const fields = extractFields(text, locale, now, asked);
    const hasFields = Object.keys(fields).length > 0;
    const question = /\?\s*$/.test(text);
    // "Ik ben 82 en dit lukt me niet. Kan iemand mij opbellen?": the request in a short sentence of a longer message
    // (a story told at "what happened?" only when it ends in a question)
    if (words > 12 && words <= STORY_WORDS && (question || !(asked === undefined || asked === 'story' || asked === 'more'))) {
      const sentences = text.split(/(?<=[.!?,])\s+/).map((x) => expandSlang(norm(x))).filter((x) => x && x.split(' ').length <= 12);
      const toldHere = /\b(beloofd|beloofden|beloofde|promised|nooit|never|genegeerd|ignored|niet teruggebeld|not called back|wilde|wanted)\b/.test(n);
      if (!toldHere && sentences.some((x) => PERSON_STRONG.test(x))) return { intent: 'person', fields: pick(fields, ['phone', 'email', 'name']), label: 'rule' };
    }
    if (words > STORY_WORDS || (words > STATEMENT_WORDS && !question)) return { intent: 'answer', fields, label: 'rule' };

    const speakRequest = words <= 12 && SPEAK_TO.test(n) && REQUEST.test(n) && !PAST.test(n);
    // "Ze beloofden me terug te bellen maar dat is nooit gebeurd" tells what happened: not a request.
    const told = /\b(beloofd|beloofden|beloofde|promised|nooit|never|genegeerd|ignored|niet teruggebeld|not called back|wilde|wanted)\b/.test(n);
    // At "what would solve it?", "ik wil dat iemand mij terugbelt" is the wish itself (kept as the solution).
    const wish = asked === 'solution' && words > 5 && !openQuestion(n, text);
    const whenQuestion = /^(wanneer|when|hoe lang|how long|hoe snel|how soon)\b/.test(n);
    if (words <= 12 && !told && !wish && !whenQuestion && (PERSON_STRONG.test(n) || speakRequest) && !(asked === 'who' && !CONTACT_VERB.test(n))) {
      return { intent: 'person', fields: pick(fields, ['phone', 'email', 'name']), label: 'rule' };
    }
    if (words <= 10 && !question && !hasFields && NOTHING_ELSE_THANKS.test(n)) return { intent: 'goodbye', fields: {}, label: 'rule' };
    if (words <= 12 && RESTART_ANY.test(n) && !/\b(wilde|wanted|moest|had to)\b/.test(n)) return { intent: 'restart', fields: {}, label: 'rule' };
    if (asked === 'when' && /\b(welke|what|which|in what) (vorm|format|formaat|notatie|way)\b/.test(n)) return { intent: 'help', fields: {}, label: 'rule' };
    if (words <= 10 && !question && CLOSING.test(n) && !/\b(maar|but|nog een vraag|another question)\b/.test(n) && !hasFields && (asked !== undefined || words <= 4 || /\b(hulp|helpen|geholpen|help|helpful|helped|moeite|assistance|your time)\b/.test(n))) {
      return { intent: 'goodbye', fields: {}, label: 'rule' };
    }
    const questionForm = QUESTION_FORM.test(n) || question;
    // "Waarom?" where contact details are asked: why the data is needed; elsewhere a request for help.
    if (/^(waarom|why|waarvoor|what for|hoezo|why is that|waarom is dat|waarom dat|waarom moet dat)$/.test(n)) {
      return contactAsked(asked) ? { intent: 'question', question: 'why-data', fields: {}, label: 'rule' } : { intent: 'help', fields: {}, label: 'rule' };
    }
    // "ik wil liever anoniem blijven" where a name is asked: the answer about anonymous complaints
    if (contactAsked(asked) && words <= 10 && /\b(anoniem|anonymous|anonymously|zonder naam|without (my )?name)\b/.test(n) && !hasFields) {
      return { intent: 'question', question: 'anonymous', fields: {}, label: 'rule' };
    }
    if (words <= 12 && (questionForm || words <= 2)) {
      const kw = QUESTION_WORDS.find(([re]) => re.test(n));
      if (kw && !hasFields) return { intent: 'question', question: kw[1], fields: {}, label: 'rule' };
    }
    // "klacht indienen", "file complaint": wanting to complain is an answer (the story follows), not a command
    if (/\b(klacht|complaint|klagen|complain)\b/.test(n) && !/\b(geen|niet|not|don t|dont|no longer|anymore|meer|toch|intrekken|withdraw|cancel|annuleer|verwijder|delete|stop)\b/.test(n) && !questionForm) {
      return { intent: 'answer', fields, label: 'rule' };
    }
    const scores = modelScores(question ? `${n}?` : n, locale); // the shorthand expanded; the question mark kept
    // Not one word either model knows, nothing recognised, and no open question asked: gibberish ("asdfgh", "qwerty").
    const gibberish = n.split(' ').every((w) => /[bcdfghjklmnpqrstvwxz]{5,}|^[^aeiouy]{4,}$/.test(w) || (w.length >= 4 && KEYBOARD_ROWS.some((r) => r.includes(w))));
    const openAsked = asked === undefined || asked === 'summary' || asked === 'more' || asked === 'when' || asked === 'phone' || asked === 'postcode' || asked === 'email';
    if (scores.known === 0 && !hasFields && words <= 3 && gibberish && openAsked) {
      return { intent: 'unclear', fields: {}, label: 'rule' };
    }
    let [label, score, second] = topLabels(scores);
    if (questionForm && (label === 'answer' || label === 'correction' || label === 'protest') && words <= 12) {
      // A question: the best question label counts when it is close to the top.
      const q = INTENT_LABELS.filter((l) => l.startsWith('q-')).sort((a, b) => scores[b] - scores[a])[0];
      if (scores[q] >= 0.3 && scores[q] >= score - 0.25) [label, score, second] = [q, scores[q], 0];
    }
    const sure = score >= MIN_SCORE && score - second >= MIN_MARGIN;
    if (asked === 'summary' && CORRECTION_CUE.test(n) && label !== 'person' && (!label.startsWith('q-') || hasFields)) {
      return { intent: 'correction', fields: correctionFields(text, locale, now), label };
    }
    if (label === 'protest' && score >= 0.3 && !hasFields && words <= 12) return { intent: 'unclear', fields: {}, label };
    if (questionForm && label.startsWith('q-') && score >= 0.3 && words <= 14) {
      return { intent: 'question', question: label.slice(2) as Question, fields: {}, label };
    }
    if (!sure || label === 'answer') {
      if (asked === 'summary' && hasFields) return { intent: 'correction', fields, label };
      return { intent: 'answer', fields, label };
    }
    // A message that gives data is an answer, whatever else it sounds like ("begin november", "3 dagen terug").
    // At "when?", words about time are an answer ("elke dag", "for a year now"), not a goodbye or a question.
    if (asked === 'when' && words <= 8 && !questionForm && looksLikeDate(text) && label !== 'person' && label !== 'correction') {
      return { intent: 'answer', fields, label };
    }
    const data = hasFields && (!questionForm || fields.date !== undefined || fields.phone || fields.email || fields.postcode || fields.street || fields.houseNumber || fields.city);
    const command = label === 'stop' || label === 'restart' || label === 'help' || label === 'goodbye';
    // A longer message is a command only when the model is very sure ("ik wil een klacht indienen en stoppen met wachten" is not).
    if (command && words > 8 && (score < 0.9 || score - second < 0.4)) return { intent: 'answer', fields, label };
    const onlyName = Object.keys(fields).length === 1 && fields.name !== undefined;
    if (command && sure && score >= 0.8 && onlyName) return { intent: label as 'stop' | 'restart' | 'help' | 'goodbye', fields: {}, label };
    if (data && label !== 'person' && label !== 'correction' && label !== 'protest') return { intent: 'answer', fields, label };
    if (label === 'correction' && asked !== 'summary' && !CORRECTION_CUE.test(n)) return { intent: 'answer', fields, label };
    // A question label needs a question (or a bare keyword): "mijn vergunning is afgewezen en ik ben het er niet mee eens" is a story.
    if (label.startsWith('q-') && !questionForm && words > 3) return { intent: 'answer', fields, label };
    switch (label) {
      case 'person':
        if (asked === 'solution' && !PERSON_STRONG.test(n) && !speakRequest) return { intent: 'answer', fields, label };
        // "Een medewerker", "de man aan de balie" at "who?" name a person: an answer.
        if (asked === 'who' && !CONTACT_VERB.test(n)) return { intent: 'answer', fields, label };
        return { intent: 'person', fields: pick(fields, ['phone', 'email', 'name']), label };
      case 'correction':
        return { intent: 'correction', fields: correctionFields(text, locale, now), label };
      case 'protest': {
        // "1183 TR zei ik net", "Jansen, zei ik toch al": the data counts; the whole answer is no person or place.
        const own = asked === 'who' || asked === 'where' || asked === 'solution' ? extractFields(text, locale, now, undefined) : fields;
        return Object.keys(own).length > 0 ? { intent: 'answer', fields: own, label } : { intent: 'unclear', fields: {}, label };
      }
      case 'lang-en':
      case 'lang-nl':
        return { intent: 'language', language: label === 'lang-en' ? 'en' : 'nl', fields: {}, label };
      case 'help':
      case 'stop':
      case 'restart':
      case 'goodbye':
        if (hasFields && (fields.phone || fields.email || fields.postcode || fields.street)) return { intent: 'answer', fields, label };
        return { intent: label, fields: {}, label };
      default:
        return { intent: 'question', question: label.slice(2) as Question, fields: {}, label };
    }
  }

  return {
    async understand(input: UnderstandInput): Promise<Understood> {
      const result = understandSync(input);
      if (!opts.explain) delete result.label;
      const text = input.text.slice(0, MAX_CHARS).trim();
      const words = text.split(/\s+/).length;
      if (classifier && result.intent === 'answer' && storyLike(input.asked, words)) {
        const routes: Route[] = await routesOf(text, input.locale, classifier);
        if (routes.length > 0) result.routes = routes;
      // "oh en mijn telefoonnummer is 0612345678": contact details added are no story with a route
      const f = result.fields;
      if (words <= 10 && (f.phone || f.email || f.street || f.postcode || f.name) && !f.date && !f.place && !f.person) delete result.routes;
      }
      return result;
    },
  };
}

function pick(fields: UnderstoodFields, keys: (keyof UnderstoodFields)[]): UnderstoodFields {
  const out: UnderstoodFields = {};
  for (const k of keys) if (fields[k] !== undefined) (out as Record<string, unknown>)[k] = fields[k];
  return out;
}
