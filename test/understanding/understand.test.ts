import { createUnderstander, type Understanding } from '../../src/understanding';
import type { Asked } from '../../src/understanding/types';
import type { Locale } from '../../src/domain/routes';

/** Tuesday 24 November 2026, 11:00 in Amsterdam. */
const NOW = new Date('2026-11-24T10:00:00Z');

let understander: Awaited<ReturnType<typeof createUnderstander>>;
beforeAll(async () => {
  understander = await createUnderstander();
});
const u = (text: string, locale: Locale = 'nl', asked?: Asked): Promise<Understanding> =>
  understander.understand({ text, locale, asked, now: NOW });

describe('asking for a person, in any words', () => {
  test.each([
    ['kan ik iemand spreken?', 'nl', undefined],
    ['ik wil gewoon met een mens praten', 'nl', 'when'],
    ['kunt u mij terugbellen?', 'nl', 'name'],
    ['I want to talk to a real person', 'en', 'where'],
    ['ik wil een medewerker spreken', 'nl', 'who'],
  ] as [string, Locale, Asked | undefined][])('%s -> person', async (text, locale, asked) => {
    expect((await u(text, locale, asked)).intent).toBe('person');
  });

  test('an answer to "who?" that names a person is an answer with that person', async () => {
    expect(await u('Een medewerker', 'nl', 'who')).toEqual({ intent: 'answer', fields: { person: { kind: 'staff', text: 'Een medewerker' } } });
    const man = await u('de man aan de balie', 'nl', 'who');
    expect(man.intent).toBe('answer');
    expect(man.fields.person).toEqual({ kind: 'staff', text: 'de man aan de balie' });
    expect(man.fields.place?.kind).toBe('counter');
  });

  test('"weet ik niet" inside an answer does not throw the person away', async () => {
    expect((await u('iemand van parkeren, naam weet ik niet', 'nl', 'who')).fields.person?.text).toBe('iemand van parkeren');
    expect(await u('weet ik niet', 'nl', 'who')).toMatchObject({ intent: 'answer', fields: {} });
  });

  test('a long story that mentions "medewerker" or "stop" is a story, never a command', async () => {
    const r = await u(
      'Gisteren zei de medewerker aan de balie dat ik moest stoppen met zeuren en een mens wilde me niet helpen, dat vond ik heel onbeleefd',
    );
    expect(r.intent).toBe('answer');
    expect(r.routes).toContain('complaint');
    expect(r.fields.date).toEqual({ text: 'Gisteren', from: '2026-11-23', to: '2026-11-23' });
  });
});

describe('commands and questions by meaning', () => {
  test.each([
    ['what can you do?', 'en', 'when', 'help'],
    ['cancel', 'en', 'summary', 'stop'],
    ['stop', 'nl', 'name', 'stop'],
    ['opnieuw', 'nl', undefined, 'restart'],
    ['doei', 'nl', 'more', 'goodbye'],
    ['bedankt, dat was het', 'nl', 'more', 'goodbye'],
  ] as [string, Locale, Asked | undefined, string][])('%s -> %s', async (text, locale, asked, intent) => {
    expect((await u(text, locale, asked)).intent).toBe(intent);
  });

  test.each([
    ["What's the purpose of this chat?", 'en', undefined, 'help'],
    ['What format should the date be in?', 'en', 'when', 'help'],
    ['how do I go back', 'en', undefined, 'help'],
    ['I need assistance with this form', 'en', undefined, 'help'],
    ["I don't want to continue", 'en', undefined, 'stop'],
    ["Forget it, I'm out", 'en', 'name', 'stop'],
    ['please end the conversation', 'en', undefined, 'stop'],
    ['I made a mistake, can we start over?', 'en', undefined, 'restart'],
    ['Nothing else, thanks', 'en', 'more', 'goodbye'],
    ["Thanks, you've been helpful", 'en', undefined, 'goodbye'],
    ['Cheers mate', 'en', undefined, 'goodbye'],
    ['Do you speak Dutch?', 'en', undefined, 'language'],
    ['Nederlands alsjeblieft', 'en', undefined, 'language'],
    ['Could you reply in English?', 'en', undefined, 'language'],
    ["That's not my address", 'en', 'summary', 'correction'],
    ['The name should read J. Smith', 'en', 'summary', 'correction'],
    ["I gave the wrong phone number, it's 0612312312", 'en', 'summary', 'correction'],
    ['asdfgh', 'en', undefined, 'unclear'],
    ['???', 'en', 'name', 'unclear'],
    ['Waar is deze chat voor?', 'nl', undefined, 'help'],
    ['In welke vorm moet de datum?', 'nl', 'when', 'help'],
    ['hoe ga ik terug', 'nl', undefined, 'help'],
    ['ik heb hulp nodig met dit formulier', 'nl', undefined, 'help'],
    ['ik wil niet verder gaan', 'nl', undefined, 'stop'],
    ['Laat maar, ik ben weg', 'nl', 'name', 'stop'],
    ['beëindig het gesprek alstublieft', 'nl', undefined, 'stop'],
    ['ik heb een fout gemaakt, kunnen we opnieuw beginnen?', 'nl', undefined, 'restart'],
    ['Verder niets, bedankt', 'nl', 'more', 'goodbye'],
    ['Bedankt, u heeft me goed geholpen', 'nl', undefined, 'goodbye'],
    ['Later!', 'nl', undefined, 'goodbye'],
    ['Spreekt u Nederlands?', 'nl', undefined, 'language'],
    ['English please', 'nl', undefined, 'language'],
    ['Kunt u in het Engels antwoorden?', 'nl', undefined, 'language'],
    ['Dat is mijn adres niet', 'nl', 'summary', 'correction'],
    ['De naam moet J. Smit zijn', 'nl', 'summary', 'correction'],
    ['Ik gaf het verkeerde nummer, het is 0612312312', 'nl', 'summary', 'correction'],
    ['asdfgh', 'nl', undefined, 'unclear'],
    ['???', 'nl', 'name', 'unclear'],
  ] as [string, Locale, Asked | undefined, string][])('command in other words: %s (%s, asked %s) -> %s', async (text, locale, asked, intent) => {
    expect((await u(text, locale, asked)).intent).toBe(intent);
  });

  test('"in English please" switches language', async () => {
    expect(await u('in English please')).toMatchObject({ intent: 'language', language: 'en', fields: {} });
    expect(await u('Dutch please', 'en')).toMatchObject({ intent: 'language', language: 'nl' });
  });

  test.each([
    ['kan ik anoniem klagen?', 'story', 'anonymous'],
    ['wat gebeurt er met mijn gegevens?', 'phone', 'privacy'],
    ['waarom heeft u mijn adres nodig?', 'address', 'why-data'],
    ['hoe lang duurt het?', undefined, 'duration'],
    ['wat gebeurt er nu?', 'summary', 'procedure'],
    ['wie is de klachtenfunctionaris?', undefined, 'who-handles'],
  ] as [string, Asked | undefined, string][])('%s -> question %s, no data', async (text, asked, question) => {
    expect(await u(text, 'nl', asked)).toMatchObject({ intent: 'question', question, fields: {} });
  });

  test.each([
    ['Is it possible to file this without my name?', 'en', 'anonymous'],
    ['Will they know who complained?', 'en', 'anonymous'],
    ['Can I keep my identity private?', 'en', 'anonymous'],
    ['Where is my complaint stored?', 'en', 'privacy'],
    ['Do you sell my data?', 'en', 'privacy'],
    ['Is this conversation confidential?', 'en', 'privacy'],
    ["What's my address for?", 'en', 'why-data'],
    ['How come you need my phone number?', 'en', 'why-data'],
    ['Is my email really necessary?', 'en', 'why-data'],
    ['How much longer will this take?', 'en', 'duration'],
    ["What's the waiting time for a reply?", 'en', 'duration'],
    ['When will someone get back to me?', 'en', 'duration'],
    ["What's going to happen with this?", 'en', 'procedure'],
    ['How does the complaint procedure work?', 'en', 'procedure'],
    ['Do I get a confirmation?', 'en', 'procedure'],
    ['Who is going to deal with it?', 'en', 'who-handles'],
    ['Does the person I complain about handle it?', 'en', 'who-handles'],
    ['Is someone independent looking at this?', 'en', 'who-handles'],
    ['Kan dit zonder mijn naam?', 'nl', 'anonymous'],
    ['Weten ze wie er geklaagd heeft?', 'nl', 'anonymous'],
    ['Kan ik mijn identiteit geheim houden?', 'nl', 'anonymous'],
    ['Waar wordt mijn klacht opgeslagen?', 'nl', 'privacy'],
    ['Verkopen jullie mijn gegevens?', 'nl', 'privacy'],
    ['Is dit gesprek vertrouwelijk?', 'nl', 'privacy'],
    ['Waar is mijn adres voor?', 'nl', 'why-data'],
    ['Hoezo heeft u mijn telefoonnummer nodig?', 'nl', 'why-data'],
    ['Is mijn e-mail echt nodig?', 'nl', 'why-data'],
    ['Hoe lang gaat dit nog duren?', 'nl', 'duration'],
    ['Wat is de wachttijd voor een antwoord?', 'nl', 'duration'],
    ['Wanneer neemt iemand contact met me op?', 'nl', 'duration'],
    ['Wat gaat er hiermee gebeuren?', 'nl', 'procedure'],
    ['Hoe werkt de klachtenprocedure?', 'nl', 'procedure'],
    ['Krijg ik een bevestiging?', 'nl', 'procedure'],
    ['Wie gaat dit oppakken?', 'nl', 'who-handles'],
    ['Behandelt degene over wie ik klaag het zelf?', 'nl', 'who-handles'],
    ['Kijkt er iemand onafhankelijk naar?', 'nl', 'who-handles'],
  ] as [string, Locale, string][])('question in other words: %s -> %s %s', async (text, locale, question) => {
    expect(await u(text, locale)).toMatchObject({ intent: 'question', question, fields: {} });
  });

  test('a protest is not a name', async () => {
    const r = await u('Dat staat er allemaal al in mijn eerste bericht!!', 'nl', 'name');
    expect(r.intent).toBe('unclear');
    expect(r.fields.name).toBeUndefined();
  });

  test('a protest that repeats data gives the data', async () => {
    expect(await u('1183 TR zei ik net', 'nl', 'postcode')).toMatchObject({ intent: 'answer', fields: { postcode: '1183 TR' } });
  });

  test('skip, yes and no are answers without fields', async () => {
    expect(await u('overslaan', 'nl', 'where')).toMatchObject({ intent: 'answer', fields: {} });
    expect(await u('yes', 'en', 'where')).toMatchObject({ intent: 'answer', fields: {} });
    expect(await u('ja', 'nl', 'solution')).toMatchObject({ intent: 'answer', fields: {} });
  });
});

describe('chat shorthand and short answers', () => {
  test.each([
    ['wnr hoor ik wat', 'nl', undefined, { intent: 'question', question: 'duration' }],
    ['k wil n mens spreken', 'nl', undefined, { intent: 'person' }],
    ['pls call me asap', 'en', undefined, { intent: 'person' }],
    ['idk', 'en', 'when', { intent: 'answer', fields: {} }],
    ['Ik wil liever anoniem blijven', 'nl', 'name', { intent: 'question', question: 'anonymous' }],
    ['weet ik nog niet', 'nl', 'solution', { intent: 'answer', fields: {} }],
    ['geen idee hoe ze heette, een blonde vrouw', 'nl', 'who', { intent: 'answer', fields: { person: { kind: 'staff', text: 'een blonde vrouw' } } }],
    ['oh en mijn telefoonnummer is 0612345678', 'nl', 'more', { intent: 'answer', fields: { phone: '+31612345678' } }],
  ] as [string, Locale, Asked | undefined, Partial<Understanding>][])('%s -> %j', async (text, locale, asked, expected) => {
    const r = await u(text, locale, asked);
    expect(r).toMatchObject(expected);
    if (asked === 'more') expect(r.routes).toBeUndefined();
  });
});

describe('corrections', () => {
  test('a free-worded correction fills the corrected field', async () => {
    expect(await u('mijn telefoonnummer is fout, het moet 06-33445577 zijn', 'nl', 'summary')).toMatchObject({
      intent: 'correction',
      fields: { phone: '+31633445577' },
    });
    expect(await u('de datum moet 15 oktober zijn', 'nl', 'summary')).toMatchObject({
      intent: 'correction',
      fields: { date: { from: '2026-10-15', to: '2026-10-15' } },
    });
    expect(await u('Mijn naam klopt niet, het is Pietersen', 'nl', 'summary')).toMatchObject({ intent: 'correction', fields: { name: 'Pietersen' } });
  });
});

describe('fields whatever was asked', () => {
  test('a whole address in one line', async () => {
    expect((await u('Bankrasweg 88, 1183 TR Amstelveen', 'nl', 'address')).fields).toEqual({
      street: 'Bankrasweg', houseNumber: '88', postcode: '1183 TR', city: 'Amstelveen',
    });
  });

  test('name and phone in one answer', async () => {
    expect((await u('Marieke Smit, 06-23456789', 'nl', 'name')).fields).toEqual({ name: 'Marieke Smit', phone: '+31623456789' });
  });

  test('a bare word or number reads as the field asked', async () => {
    expect((await u('Jansen', 'nl', 'name')).fields).toEqual({ name: 'Jansen' });
    expect((await u('12', 'nl', 'address')).fields).toEqual({ houseNumber: '12' });
  });

  test('an address abroad', async () => {
    expect((await u('12 Baker Street, London NW1 6XE, United Kingdom', 'en', 'address')).fields).toEqual({
      street: 'Baker Street', houseNumber: '12', city: 'London', postcode: 'NW1 6XE', country: 'United Kingdom',
    });
    // an e-mail address or a town with its foreign postcode and country is never one town
    expect((await u('Hauptstraße 5, 10115 Berlin, Duitsland', 'nl', 'address')).fields).toEqual({
      street: 'Hauptstraße', houseNumber: '5', city: 'Berlin', postcode: '10115', country: 'Duitsland',
    });
    expect((await u('Hauptstraße 5, 10115 Berlin', 'nl', 'address')).fields).toEqual({ street: 'Hauptstraße', houseNumber: '5', city: 'Berlin', postcode: '10115' });
    expect((await u('anna@example.de', 'nl', 'city')).fields).toEqual({ email: 'anna@example.de' });
  });

  test('a first message with everything gives every field and the route', async () => {
    const r = await u(
      'Vorige week dinsdag was de medewerker aan het loket erg onbeleefd tegen mij. Mijn naam is Karin de Boer, ik woon op de Kerklaan 12, 1181 AB Amstelveen, telefoon 06-12345678.',
    );
    expect(r.intent).toBe('answer');
    expect(r.routes).toEqual(['complaint']);
    expect(r.fields).toMatchObject({
      date: { from: '2026-11-17', to: '2026-11-17' },
      place: { kind: 'counter' },
      person: { kind: 'staff' },
      name: 'Karin de Boer',
      street: 'Kerklaan',
      houseNumber: '12',
      postcode: '1181 AB',
      city: 'Amstelveen',
      phone: '+31612345678',
    });
  });

  test('a signature under a story: name, address on separate lines, phone', async () => {
    const r = await u('Op 12 november heb ik gebeld met de afdeling Belastingen en de medewerker hing gewoon op.\nGroeten,\nPiet Jansen\nKerklaan 3\n1181 AB Amstelveen\n0612345678');
    expect(r.fields).toMatchObject({
      date: { from: '2026-11-12', to: '2026-11-12' }, name: 'Piet Jansen', street: 'Kerklaan', houseNumber: '3', postcode: '1181 AB', city: 'Amstelveen', phone: '+31612345678',
    });
  });

  test('a wish in a story is the solution; an address abroad and a name before it', async () => {
    const r = await u(
      "Hello, on Nov 3 a woman from the parking department was extremely rude to me on the phone. I'd like an apology. Tom Baker, 221B Baker Street, London NW1 6XE, UK, +44 20 7946 0958",
      'en',
    );
    expect(r.fields).toMatchObject({
      date: { from: '2026-11-03' }, solution: "I'd like an apology", name: 'Tom Baker', street: 'Baker Street', houseNumber: '221B',
      city: 'London', postcode: 'NW1 6XE', country: 'UK', phone: '+442079460958',
    });
    expect((await u('Ik wil een klacht indienen over de medewerker aan de balie, die was onbeleefd')).fields.solution).toBeUndefined();
  });

  test('"ik heb nu al 5 keer gebeld" gives no date', async () => {
    expect((await u('ik heb nu al 5 keer gebeld', 'nl', 'when')).fields.date).toBeUndefined();
    expect((await u('nu', 'nl', 'when')).fields.date).toBeUndefined();
  });
});

describe('routes of a story', () => {
  test('a mixed objection and complaint gives both', async () => {
    expect((await u('my permit was refused and the officer was rude', 'en', 'story')).routes).toEqual(['objection', 'complaint']);
  });
  test.each([
    ['Mijn aanvraag voor een parkeervergunning is afgewezen en de medewerker aan de telefoon was erg onvriendelijk', 'nl', ['complaint', 'objection']],
    ['Ik ben het niet eens met de WOZ-waarde en bovendien heeft niemand op mijn mails gereageerd', 'nl', ['complaint', 'tax-objection']],
    ['De lantaarnpaal voor mijn deur is kapot en toen ik het meldde werd ik uitgescholden door de medewerker', 'nl', ['complaint', 'report']],
    ['Mijn bijstandsuitkering is stopgezet zonder uitleg en de consulent lachte me uit', 'nl', ['complaint', 'objection']],
    ['My benefit was stopped and nobody returned my calls for weeks', 'en', ['complaint', 'objection']],
    ['A municipal truck damaged my car and the driver yelled at me', 'en', ['complaint', 'damage']],
  ] as [string, Locale, string[]][])('mixed story: %s', async (text, locale, routes) => {
    expect([...((await u(text, locale, 'story')).routes ?? [])].sort()).toEqual(routes);
  });
  test('a single-route story keeps one route (a claim about a pothole is no report as well)', async () => {
    expect((await u('Door het gat in de weg heb ik twee kapotte banden, wie gaat dat betalen', 'nl', 'story')).routes).toEqual(['damage']);
    expect((await u('Mijn melding van de kapotte lantaarnpaal is drie maanden oud en ik heb nooit een reactie gehad', 'nl', 'story')).routes).toEqual(['complaint']);
  });
  test('what is added after a referral is read as a story too', async () => {
    expect((await u('ja, het is ook een klacht: niemand reageerde op mijn mails', 'nl', 'more')).routes).toEqual(['complaint']);
  });
  test('no routes without a route recogniser, and none for short answers', async () => {
    const bare = await createUnderstander({ classifier: null });
    expect((await bare.understand({ text: 'my permit was refused and the officer was rude', locale: 'en', asked: 'story', now: NOW })).routes).toBeUndefined();
    expect((await u('gisteren', 'nl', 'when')).routes).toBeUndefined();
  });
});

describe('languages the bot does not speak', () => {
  test.each([
    ['Merhaba, şikayet etmek istiyorum', 'tr'],
    ['Dzień dobry, chcę złożyć skargę', 'pl'],
    ['أريد تقديم شكوى', 'ar'],
    ['Guten Tag, ich möchte mich beschweren', 'de'],
    ['Bonjour, je voudrais faire une plainte', 'fr'],
  ])('%s -> unclear, %s', async (text, code) => {
    expect(await u(text)).toMatchObject({ intent: 'unclear', unsupportedLanguage: code, fields: {} });
  });
  test('a foreign name is a name, not a foreign language', async () => {
    expect(await u('Łukasz Kowalski', 'nl', 'name')).toMatchObject({ intent: 'answer', fields: { name: 'Łukasz Kowalski' } });
    expect(await u('Jürgen Müller', 'en', 'name')).toMatchObject({ intent: 'answer', fields: { name: 'Jürgen Müller' } });
  });
  test('Dutch and English are not foreign, however short', async () => {
    for (const t of ['ok', 'Jansen', 'Amstelveen', 'ja', 'hallo', 'de balie', 'Dank je']) expect((await u(t)).unsupportedLanguage).toBeUndefined();
  });
});
