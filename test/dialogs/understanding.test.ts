/**
 * The intake acts on what the one understanding step found in each message (issue 11): every field a
 * message gives is filled, what was inferred is confirmed, only what is missing is asked; commands and
 * questions by meaning at any point; corrections in the citizen's own words. The real bot, store and
 * understanding step; where a test needs one exact reading of a message, that reading is given for
 * that message only (`reading`), so the test checks what the dialog does with it.
 */
import { Harness, tempDbFile } from '../helpers/harness';
import { play, type Step } from '../helpers/script';
import { createRouteClassifier } from '../../src/routing/classifier';
import { createUnderstander } from '../../src/understanding';
import type { Understander, Understanding } from '../../src/understanding/types';
import type { RouteClassifier } from '../../src/domain/routes';
import { normalise } from '../../dialogs/text';
import nl from '../../locales/nl.json';
import en from '../../locales/en.json';

let db: ReturnType<typeof tempDbFile>;
let h: Harness;
let classifier: RouteClassifier;

beforeAll(async () => {
  classifier = await createRouteClassifier();
});

afterEach(async () => {
  await h?.close();
  db?.cleanup();
  h = undefined as unknown as Harness;
  db = undefined as unknown as ReturnType<typeof tempDbFile>;
});

/** The product's understanding step, except for the messages given here, which are read as given. */
async function reading(fixed: Record<string, Understanding> = {}, withClassifier = true): Promise<Understander> {
  const real = await createUnderstander({ classifier: withClassifier ? classifier : null });
  const table = new Map(Object.entries(fixed).map(([k, v]) => [normalise(k), v]));
  return { understand: async (input) => table.get(normalise(input.text)) ?? real.understand(input) };
}

async function open(opts: { fixed?: Record<string, Understanding>; classifier?: boolean; locale?: string } = {}) {
  db = tempDbFile();
  const withClassifier = opts.classifier ?? true;
  h = await Harness.open({
    file: db.file,
    locale: opts.locale,
    classifier: withClassifier ? classifier : undefined,
    understander: await reading(opts.fixed, withClassifier),
  });
  await h.join();
}

const CONTACT = 'Mijn naam is Piet de Boer, 06-23456789, Bankrasweg 88, 1183 TR Amstelveen.';
const EVERYTHING = `Gisteren stond ik een uur aan de balie bij mevrouw Jansen en niemand hielp mij, ze was erg onbeschoft. ${CONTACT}`;

/** Questions for things the first message already said: none of them may be asked again. */
const ASKED_AGAIN = /Wat is uw naam|Op welk telefoonnummer|Wat is uw adres|straat en huisnummer|Wanneer gebeurde het|Waar gebeurde het|Over wie gaat uw klacht/;

/** Plays the steps and returns every reply of every turn (play returns the last turn's). */
async function playAll(steps: Step[]): Promise<string[]> {
  const all: string[] = [];
  for (const step of steps) all.push(...(await play(h, [step])));
  return all;
}

/** The draft as it is kept in conversation state (SQLite). */
async function draft(): Promise<Record<string, unknown>> {
  const rows = await h.db.all<{ key: string; data: string }>('SELECT key, data FROM bot_state');
  const row = rows.find((r) => r.key.startsWith('test/conversations/conv-1'));
  return (JSON.parse(row!.data) as { draft: Record<string, unknown> }).draft;
}

/** From the call offer to the summary: answers whatever optional contact question comes (e-mail), nothing else. */
async function toSummary(): Promise<string[]> {
  const seen: string[] = [];
  let replies = await h.say('Nee, ga verder');
  for (let i = 0; i < 4 && !/Dit is uw klacht/.test(replies.join('\n')); i++) {
    seen.push(...replies);
    expect(replies.join('\n')).toMatch(/e-mail/i);
    replies = await h.say('Geen e-mail');
  }
  seen.push(...replies);
  expect(replies.join('\n')).toMatch(/Dit is uw klacht.*Klopt alles/s);
  return seen;
}

describe('one message with everything', () => {
  test('files after the summary, without asking any of it again; what the story gave is said back at once', async () => {
    await open();
    const seen: string[] = [];
    const first = await h.say(EVERYTHING);
    seen.push(...first);
    const confirm = first.join('\n');
    expect(confirm).toMatch(/Vervelend dat u dit heeft meegemaakt/);
    expect(confirm).toMatch(/Genoteerd: /);
    expect(confirm).toMatch(/Wanneer: maandag 23 november 2026/);
    expect(confirm).toMatch(/Waar: Aan de balie/);
    expect(confirm).toMatch(/Over wie: mevrouw Jansen/);
    expect(confirm).toMatch(/Naam: Piet de Boer/);
    expect(confirm).toMatch(/Telefoon: 06 23456789/);
    expect(confirm).toMatch(/Adres: Bankrasweg 88, 1183 TR Amstelveen/);
    // no separate confirmation: the summary shows it all and takes corrections
    expect(confirm).not.toMatch(/Klopt dat/);
    expect(confirm).toMatch(/oplossen/);
    seen.push(...(await h.say('Nee')));
    seen.push(...(await toSummary()));
    for (const reply of seen) expect(reply).not.toMatch(ASKED_AGAIN);
    const done = await h.say('Ja, versturen');
    expect(done.join('\n')).toMatch(/Uw klacht is verstuurd.*KL-2026-/s);
    const [c] = await h.complaints.listByConversation('test', 'conv-1');
    expect(c).toMatchObject({
      route: 'complaint',
      story: EVERYTHING,
      incidentDate: '2026-11-23',
      placeKind: 'counter',
      place: 'Aan de balie',
      person: 'mevrouw Jansen',
      personKind: 'staff',
      solution: null,
      contact: { name: 'Piet de Boer', phone: '+31623456789', street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen' },
    });
  });

  test('in English too: one message with everything, said back, confirmed at the summary, filed', async () => {
    await open({ locale: 'en-GB' });
    const story =
      'Last Friday I waited two hours at the counter in the town hall and the clerk, Mr Peters, was really rude to me. ' +
      "I'm Anna Smith, 06-12345678, Keizersgracht 12, 1015 CJ Amsterdam, anna@example.com";
    const seen = await playAll([
      [story, /I'm sorry this happened.*Noted: When: Friday 20 November 2026; Where: At the counter; About whom: Mr Peters; Name: Anna Smith.*Address: Keizersgracht 12, 1015 CJ Amsterdam.*solve this/s],
      ['an apology would be nice', /complaints officer/],
      ['No, continue', /This is your complaint.*Possible solution: an apology would be nice.*Is everything correct/s],
    ]);
    expect(seen.join('\n')).not.toMatch(/What is your name|your address|When did it happen|Where did it happen|Who is your complaint about/);
    await play(h, [['Yes, send', /Your complaint has been sent.*KL-2026-/s]]);
    const [c] = await h.complaints.listByConversation('test', 'conv-1');
    expect(c).toMatchObject({
      locale: 'en',
      incidentDate: '2026-11-20',
      placeKind: 'counter',
      person: 'Mr Peters',
      solution: 'an apology would be nice',
      contact: { name: 'Anna Smith', phone: '+31612345678', street: 'Keizersgracht 12', postcode: '1015 CJ', city: 'Amsterdam', email: 'anna@example.com' },
    });
  });

  test('a detail the story gave that is wrong is corrected in free words at the summary', async () => {
    await open();
    await h.say(EVERYTHING);
    await h.say('Nee');
    await toSummary();
    await play(h, [['nee, het was eergisteren', /aangepast.*Wanneer: zondag 22 november 2026.*Klopt alles/s]]);
    expect(await draft()).toMatchObject({ incidentDate: '2026-11-22', place: 'Aan de balie', story: EVERYTHING });
  });
});

describe('dates', () => {
  test('a period is said back as a period in the same turn, stored as a period, not its first day', async () => {
    await open({
      fixed: { 'eind oktober': { intent: 'answer', fields: { date: { text: 'eind oktober', from: '2026-10-21', to: '2026-10-31' } } } },
    });
    await play(h, [
      [`Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd. ${CONTACT}`, /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      // one answer to the combined question: the date, and nobody named
      ['eind oktober', /Genoteerd: Wanneer: eind oktober 2026 \(21–31 oktober\)\..*oplossen/s],
      ['Overslaan', /klachtenfunctionaris praten/],
    ]);
    expect((await toSummary()).join('\n')).toMatch(/Wanneer: eind oktober 2026 \(21–31 oktober\)/);
    await play(h, [['Ja, versturen', /KL-2026-/]]);
    const [c] = await h.complaints.listByConversation('test', 'conv-1');
    expect(c).toMatchObject({ incidentDate: null, incidentDateFrom: '2026-10-21', incidentDateTo: '2026-10-31', incidentDateText: 'eind oktober' });
  });

  test('a whole month reads as the month; the one-year warning follows from the period, in plain words with the link', async () => {
    await open({
      fixed: { 'anderhalf jaar geleden': { intent: 'answer', fields: { date: { text: 'anderhalf jaar geleden', from: '2025-05-01', to: '2025-05-31' } } } },
    });
    const replies = await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      ['anderhalf jaar geleden', /Genoteerd: Wanneer: mei 2025\..*meer dan een jaar geleden.*klacht-over-de-gemeente.*toch indienen/s],
    ]);
    expect(replies.join('\n')).not.toMatch(/9:8|artikel|Awb|Algemene wet/);
  });

  test('a corrected date at the one-year question changes the date instead of counting as "no"', async () => {
    await open();
    await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      ['3 maart 2025', /meer dan een jaar geleden/],
      ['nee, het was 3 maart 2026', /Genoteerd: dinsdag 3 maart 2026.*oplossen/s],
    ]);
    expect(await draft()).toMatchObject({ incidentDate: '2026-03-03' });
  });

  test('a period that ends within the year gets no warning', async () => {
    await open({
      fixed: { 'vorig jaar december': { intent: 'answer', fields: { date: { text: 'vorig jaar december', from: '2025-12-01', to: '2025-12-31' } } } },
    });
    const replies = await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      ['vorig jaar december', /Genoteerd: Wanneer: december 2025\..*oplossen/s],
    ]);
    expect(replies.join('\n')).not.toMatch(/meer dan een jaar/);
  });

  test('a vague date is kept as the citizen wrote it, and said so', async () => {
    await open({ fixed: { 'in de zomer': { intent: 'answer', fields: { date: { text: 'in de zomer' } } } } });
    await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      ['in de zomer', /Genoteerd: Wanneer: in de zomer\..*oplossen/s],
    ]);
  });
});

describe('commands and questions by meaning, at any point', () => {
  test('a common question gets a short answer, then the same question again', async () => {
    await open({ fixed: { 'wat gebeurt er met mijn gegevens?': { intent: 'question', question: 'privacy', fields: {} } } });
    await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      ['kan ik anoniem klagen?', /Anoniem klagen kan niet.*Wanneer gebeurde het/s],
      ['wat gebeurt er met mijn gegevens?', /alleen om uw klacht te behandelen.*privacyverklaring.*Wanneer gebeurde het/s],
      ['gisteren', /Genoteerd: Wanneer: maandag 23 november 2026/],
    ]);
  });

  test('a question as the first message is answered, then the bot asks what happened', async () => {
    await open({ fixed: { 'hoe lang duurt het?': { intent: 'question', question: 'duration', fields: {} } } });
    await play(h, [['hoe lang duurt het?', /binnen 4 werkdagen.*Wat is er gebeurd/s]]);
    expect(await h.complaints.countComplaints()).toBe(0);
  });

  test('asking for a person in other words leads to the call-back offer; "Een medewerker" at "Over wie?" is an answer', async () => {
    await open();
    await play(h, [
      ['Gisteren heb ik drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Wanneer: maandag 23 november 2026; Waar: Aan de telefoon.*Over wie gaat uw klacht/s],
      ['Een medewerker', /naam van de medewerker/],
      ['kan ik iemand spreken?', /terugbellen/],
      ['Nee, ga verder', /We gaan verder.*naam van de medewerker/s],
    ]);
  });

  test('a button is an answer even when its words could mean something else', async () => {
    await open({
      fixed: {
        'Ja, bel mij terug': { intent: 'person', fields: {} },
        'Een medewerker': { intent: 'person', fields: {} },
      },
    });
    await play(h, [
      ['Gisteren heb ik drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Wanneer: maandag 23 november 2026; Waar: Aan de telefoon.*Over wie gaat uw klacht/s],
      ['Een medewerker', /naam van de medewerker/],
      ['Overslaan', /oplossen/],
      ['Overslaan', /klachtenfunctionaris praten/],
      // the call offer's own button goes straight to the call-back, not to a second offer
      ['Ja, bel mij terug', /naam/],
    ]);
  });

  test('an answer that also gives another field fills it, says so, and that question is not asked', async () => {
    await open({
      fixed: {
        'gisteren, aan de balie': { intent: 'answer', fields: { date: { text: 'gisteren', from: '2026-11-23', to: '2026-11-23' }, place: { kind: 'counter', text: 'aan de balie' } } },
      },
    });
    const replies = await playAll([
      ['Niemand heeft ooit gereageerd op mijn vraag over de vergunning en ik wacht al maanden', /Wanneer en waar gebeurde het/],
      // nothing in the answer to the combined question: each detail is asked on its own
      ['weet ik niet', /Wanneer gebeurde het\? Schrijf/],
      ['gisteren, aan de balie', /Ik heb ook genoteerd: Waar: Aan de balie\..*Genoteerd: maandag 23 november 2026.*Over wie/s],
    ]);
    expect(replies.join('\n')).not.toMatch(/Waar gebeurde het/);
  });

  test('a wish to be called back given as the solution is the solution, and the call offer follows', async () => {
    const wish = 'Ik wil graag dat iemand mij terugbelt en uitlegt hoe het zit';
    await open({ fixed: { [wish]: { intent: 'person', fields: {} }, 'bel mij': { intent: 'person', fields: {} } } });
    expect((await h.say(EVERYTHING)).join('\n')).toMatch(/oplossen/);
    await play(h, [
      ['bel mij', /Of wilt u dat wij u terugbellen/],
      ['Nee, ga verder', /oplossen/],
      [wish, /klachtenfunctionaris praten/],
    ]);
    expect(await draft()).toMatchObject({ solution: wish });
  });

  test('"weet ik niet" inside an answer is part of the answer; alone it is a skip', async () => {
    await open();
    await play(h, [
      [`Gisteren heb ik drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd. ${CONTACT}`, /Over wie gaat uw klacht/],
      ['iemand van parkeren, naam weet ik niet', /oplossen/],
      ['weet ik niet', /klachtenfunctionaris praten/],
    ]);
    const summary = (await toSummary()).join('\n');
    expect(summary).toMatch(/Over wie: iemand van parkeren\\?, naam weet ik niet/);
    expect(summary).toMatch(/Mogelijke oplossing: \(niet ingevuld\)/);
  });

  test('"ja" where a place is asked is not a place', async () => {
    await open({ classifier: false });
    await play(h, [
      ['Niemand heeft ooit gereageerd op mijn vraag over de vergunning en ik wacht al maanden', /Waar gaat het over/],
      ['1', /Wanneer en waar gebeurde het/],
      ['gisteren', /Genoteerd: Wanneer: maandag 23 november 2026.*Waar gebeurde het\? Kies/s],
      ['ja', /in een paar woorden waar het gebeurde.*Waar gebeurde het/s],
      ['Ergens anders', /Waar was dat/],
      ['yes', /in een paar woorden waar het gebeurde.*Waar was dat/s],
      ['bij de bibliotheek', /oplossen/],
    ]);
    expect(await draft()).toMatchObject({ place: 'bij de bibliotheek', placeKind: 'elsewhere' });
  });

  test('goodbye before telling anything ends kindly', async () => {
    await open();
    await play(h, [['doei', /Dag!.*020 540 49 11/s]]);
  });

  test('a language the bot does not speak gets a line in that language, and in Dutch and English, with the phone number', async () => {
    await open({
      fixed: { 'Merhaba, belediye hakkında şikayet etmek istiyorum': { intent: 'unclear', fields: {}, unsupportedLanguage: 'tr' } as Understanding },
    });
    const replies = await play(h, [['Merhaba, belediye hakkında şikayet etmek istiyorum', /yalnızca Felemenkçe ve İngilizce.*020 540 49 11.*alleen Nederlands en Engels.*only understand Dutch and English/s]]);
    expect(replies.join('\n')).toMatch(/Wat is er gebeurd/);
    expect(await h.complaints.countComplaints()).toBe(0);
  });
});

describe('by meaning, with the real understanding step', () => {
  test('another language asked in a sentence; a person asked for in other words; a goodbye with a complaint told is asked first', async () => {
    await open();
    await play(h, [
      ['Gisteren heb ik drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Over wie gaat uw klacht/],
      ['kunnen we in het Engels verder?', /continue in English.*Who is your complaint about/s],
      ['I want to talk to a real person', /call you back/],
      ['No, continue', /Who is your complaint about/],
      ['doei', /Are you sure you want to stop/],
      ['No, carry on', /carry on.*Who is your complaint about/s],
    ]);
    expect(await h.complaints.countComplaints()).toBe(0);
  });

  test('a bezwaar and a complaint in one story: the complaint in the citizen\'s words, and the bezwaar link too', async () => {
    await open();
    const story = 'Mijn vergunning is geweigerd en de ambtenaar aan de balie was daarbij ook nog eens heel onbeschoft tegen mij';
    await play(h, [[story, /bezwaar.*bezwaarschrift-indienen.*Uw klacht neem ik nu op.*Wanneer/s]]);
    expect(await draft()).toMatchObject({ route: 'complaint', alsoRoute: 'objection', story });
  });

  test.each([
    ['Dzień dobry, chcę złożyć skargę na urząd', /tylko po niderlandzku i po angielsku/],
    ['مرحبا أريد تقديم شكوى', /الهولندية والإنجليزية/],
  ])('"%s" gets a line in its own language, then Dutch and English', async (text, line) => {
    await open();
    const replies = await play(h, [[text, /alleen Nederlands en Engels.*only understand Dutch and English.*Wat is er gebeurd/s]]);
    expect(replies.join('\n')).toMatch(line);
    expect(replies.join('\n')).toMatch(/020 540 49 11/);
  });
});

describe('the summary', () => {
  async function everythingToSummary() {
    await open();
    await h.say(EVERYTHING);
    await h.say('Nee');
    await toSummary();
  }

  test('stop at the summary asks first; no carries on, yes stops without filing', async () => {
    await everythingToSummary();
    await play(h, [
      ['stop', /Weet u zeker dat u wilt stoppen\? Uw klacht is dan niet ingediend/],
      ['Nee, ga verder', /we gaan verder.*Klopt alles/s],
      ['stop', /Weet u zeker/],
      ['Ja, stoppen', /Gestopt.*niet verstuurd/s],
    ]);
    expect(await h.complaints.countComplaints()).toBe(0);
  });

  test('a stop read from other words than a plain "stop" is asked first, also before the summary', async () => {
    await open({ fixed: { 'laat ook maar zitten allemaal': { intent: 'stop', fields: {} } } });
    await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      ['laat ook maar zitten allemaal', /Weet u zeker dat u wilt stoppen/],
      ['Nee, ga verder', /we gaan verder.*Wanneer gebeurde het/s],
      ['stop', /Gestopt/],
    ]);
  });

  test('a restart read from other words is asked first; the plain command restarts at once', async () => {
    await open({ fixed: { 'ik begin liever helemaal van voren af aan': { intent: 'restart', fields: {} } } });
    await play(h, [
      ['Ik heb drie keer gebeld over mijn uitkering en niemand belde terug zoals beloofd', /Genoteerd: Waar: Aan de telefoon.*Wanneer gebeurde het\? En over wie/s],
      ['ik begin liever helemaal van voren af aan', /Wilt u opnieuw beginnen\? Wat u tot nu toe schreef, wordt dan gewist/],
      ['Nee, ga verder', /we gaan verder.*Wanneer gebeurde het/s],
      ['ik begin liever helemaal van voren af aan', /Wilt u opnieuw beginnen/],
      ['Ja, opnieuw beginnen', /opnieuw.*Wat is er gebeurd/s],
    ]);
    expect((await draft()).story).toBeUndefined();
  });

  test('free-worded corrections change the field directly', async () => {
    await everythingToSummary();
    await play(h, [
      ['mijn telefoonnummer is fout, het moet 06-33445577 zijn', /aangepast.*Telefoon: 06 33445577.*Klopt alles/s],
      ['de datum moet 15 oktober zijn', /aangepast.*Wanneer: donderdag 15 oktober 2026.*Klopt alles/s],
    ]);
    await play(h, [['Ja, versturen', /KL-2026-/]]);
    const [c] = await h.complaints.listByConversation('test', 'conv-1');
    expect(c).toMatchObject({ incidentDate: '2026-10-15', contact: { phone: '+31633445577', name: 'Piet de Boer' } });
  });

  test('naming only the field asks that field again', async () => {
    await everythingToSummary();
    await play(h, [['het adres klopt niet', /adres|straat/i]]);
  });

  test('"annuleren" inside a correction cancels only the correction', async () => {
    await everythingToSummary();
    await play(h, [
      ['Iets aanpassen', /Wat wilt u aanpassen/],
      ['Wanneer', /Wanneer gebeurde het/],
      ['annuleren', /ik pas niets aan.*Dit is uw klacht.*Wanneer: maandag 23 november 2026.*Klopt alles/s],
      ['Ja, versturen', /KL-2026-/],
    ]);
    expect(await h.complaints.countComplaints()).toBe(1);
  });
});

describe('what belongs elsewhere too', () => {
  test('a story that is a bezwaar and a complaint files the complaint in the citizen\'s words and also gives the bezwaar link', async () => {
    const story = 'Mijn vergunning is geweigerd en de ambtenaar aan de balie was daarbij ook nog eens heel onbeschoft tegen mij';
    await open({ fixed: { [story]: { intent: 'answer', routes: ['complaint', 'objection'], fields: { place: { kind: 'counter', text: 'aan de balie' } } } } });
    await play(h, [[story, /bezwaar.*bezwaarschrift-indienen.*Wanneer/s]]);
    expect(await draft()).toMatchObject({ route: 'complaint', story, alsoRoute: 'objection' });
  });

  test('after a referral, what the citizen adds is kept with the story', async () => {
    await open({ classifier: false });
    await play(h, [
      ['Ik heb een klacht over de lantaarnpaal voor mijn huis, die is al twee weken kapot', /Waar gaat het over/],
      ['Iets op straat', /Fixi.*ook/s],
      ['ja, het is ook een klacht: niemand reageerde op mijn mails', /ook uw klacht op.*Genoteerd: Waar: Per e-mail of brief.*Wanneer gebeurde het\? En over wie/s],
    ]);
    expect((await draft()).story).toBe(
      'Ik heb een klacht over de lantaarnpaal voor mijn huis, die is al twee weken kapot\n\nja, het is ook een klacht: niemand reageerde op mijn mails',
    );
  });

  test('a real complaint typed at the situation menu is taken, with what was said before', async () => {
    await open({ classifier: false });
    await play(h, [
      ['Het gaat over mijn aanvraag bij de gemeente van vorige maand', /Waar gaat het over/],
      ['Ik heb vier keer gebeld en niemand belt terug, de medewerker hing gewoon op', /dit op als klacht/],
    ]);
    expect(await draft()).toMatchObject({
      route: 'complaint',
      story: 'Het gaat over mijn aanvraag bij de gemeente van vorige maand\n\nIk heb vier keer gebeld en niemand belt terug, de medewerker hing gewoon op',
    });
  });
});

describe('no loops', () => {
  test('unclear twice at the situation menu: taken as a complaint', async () => {
    await open({ classifier: false });
    await play(h, [
      ['Het gaat over mijn aanvraag bij de gemeente van vorige maand', /Waar gaat het over/],
      ['geen idee', /begreep ik niet.*Waar gaat het over/s],
      ['pff', /Dan neem ik het op als klacht/],
    ]);
    expect(await draft()).toMatchObject({ route: 'complaint' });
  });

  test('unclear after a referral: asked once more without the referral again, then the complaint is taken', async () => {
    await open({ classifier: false });
    const again = await play(h, [
      ['Ik heb een klacht over de lantaarnpaal voor mijn huis, die is al twee weken kapot', /Waar gaat het over/],
      ['Iets op straat', /Fixi/],
      ['hmm', /begreep ik niet.*ook/s],
    ]);
    expect(again.join('\n')).not.toMatch(/Fixi/);
    await play(h, [['pff', /ook uw klacht op/]]);
  });

  test('unclear twice at the call offer: the intake goes on without a call', async () => {
    await open();
    await h.say(EVERYTHING);
    await play(h, [
      ['Nee', /klachtenfunctionaris praten/],
      ['misschien', /begreep ik niet/],
      ['tja', /Dit is uw klacht/],
    ]);
    expect(await h.complaints.listCallbacksByConversation('test', 'conv-1')).toHaveLength(0);
  });
});

describe('tone', () => {
  const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
  test('the welcome is short in both languages', () => {
    expect(words(nl.welcome)).toBeLessThan(60);
    expect(words(en.welcome)).toBeLessThan(60);
  });

  test('no article numbers in what the citizen reads in the chat, the confirmation mail and its PDF', () => {
    // Officers' texts (staffApi, reports) and formal letters (which must name their legal ground) are excluded.
    const STAFF_OR_LEGAL = new Set(['staffApi', 'reports', 'letters']);
    const all = (o: unknown): string[] => (typeof o === 'string' ? [o] : Object.values(o as object).flatMap(all));
    const citizen = (l: Record<string, unknown>) => Object.entries(l).filter(([k]) => !STAFF_OR_LEGAL.has(k)).flatMap(([, v]) => all(v));
    const texts = [...citizen(nl), ...citizen(en)];
    expect(texts.length).toBeGreaterThan(200);
    for (const text of texts) expect(text).not.toMatch(/\b9:\d+\b|artikel \d|article \d|Algemene wet bestuursrecht/);
  });
});

describe('after filing', () => {
  test('"nee" to "anything else?" says goodbye instead of taking it as a new story', async () => {
    await open();
    await h.say(EVERYTHING);
    await h.say('Nee');
    await toSummary();
    await play(h, [
      ['Ja, versturen', /KL-2026-.*nog iets anders/s],
      ['nee dank je', /Dag!/],
    ]);
    expect(await h.complaints.countComplaints()).toBe(1);
  });
});

describe('wanting to complain is not yet the story', () => {
  test.each(['Ik wil graag een klacht indienen over de gemeente', 'Hallo, ik heb een klacht', 'I want to file a complaint about the municipality'])(
    '"%s" asks what happened',
    async (text) => {
      await open({ locale: /I want/.test(text) ? 'en-GB' : 'nl-NL' });
      await play(h, [[text, /Wat is er gebeurd|What happened/]]);
      expect((await draft()).story).toBeUndefined();
    },
  );
});
