/**
 * The name and e-mail from the Teams profile (TeamsInfo.getMember, answered by TeamsService on
 * loopback) are only a suggestion: the citizen confirms or changes them, a doubtful answer gets the
 * ordinary question, and a failed lookup means the bot simply asks.
 */
import type { Activity, TeamsChannelAccount } from 'botbuilder';
import { Harness, tempDbFile, textOf } from '../helpers/harness';
import { JAN, TeamsService, TO_CONTACT, USER, install, openTeams, sayAll, teamsRenderProblems, titles } from './teamsHarness';

let service: TeamsService;
let h: Harness;
let db: { file: string; cleanup: () => void };

beforeEach(async () => {
  service = await new TeamsService().start();
  db = tempDbFile();
});

afterEach(async () => {
  await h?.close();
  await service.close();
  db.cleanup();
});

const texts = (replies: Partial<Activity>[]) => replies.map(textOf);
const ADDRESS = 'Dorpsstraat 12, 1182jr Amstelveen';
const NAME_ADDRESS = /^Wat is uw naam en adres\?/;
const ADDRESS_Q = /^Wat is uw adres\?/;
const REACH = /^Op welk telefoonnummer of e-mailadres kunnen we u bereiken\?/;

/** Runs the intake up to the first contact question and returns that question. */
async function toContact(): Promise<Partial<Activity>> {
  h = await openTeams({ file: db.file, serviceUrl: service.serviceUrl });
  await install(h);
  const replies = await sayAll(h, TO_CONTACT);
  expect(textOf(replies[replies.length - 2])).toContain('Nu heb ik uw naam en adres nodig');
  return replies[replies.length - 1];
}

async function fileAndGetContact() {
  const summary = await h.sayActivities('Ja, versturen');
  expect(textOf(summary[0])).toMatch(/KL-2026-/);
  const [complaint] = await h.complaints.listByConversation('msteams', String(h.adapter.template.conversation!.id));
  return complaint.contact;
}

test('suggestion changed by typing: another name and another e-mail address are taken as typed', async () => {
  service.members.set(JAN.id, JAN);
  const question = await toContact();
  expect(textOf(question)).toContain('**Jan de Vries**');
  // an initial and a hyphen: a name, not a "j(a)"
  expect(texts(await h.sayActivities('J. de Vries-Bakker'))).toEqual([expect.stringMatching(ADDRESS_Q)]);
  const email = await h.sayActivities(ADDRESS);
  expect(textOf(email[email.length - 1])).toContain('**jan\\.devries\\@example\\.nl**'); // a profile value is shown as text (citizenText)
  // an address that happens to contain "ja" is an address, not a yes to the suggestion
  const summary = await h.sayActivities('ja.bakker@example.org');
  expect(textOf(summary[0])).toContain('- E-mail: ja\\.bakker\\@example\\.org');
  expect(await fileAndGetContact()).toMatchObject({ name: 'J. de Vries-Bakker', email: 'ja.bakker@example.org' });
});

test('suggestion declined with the buttons, and a doubtful yes, get the ordinary questions', async () => {
  service.members.set(JAN.id, JAN);
  await toContact();
  // "Goed" is a yes-word, but "Jan Goed" is no clear yes: the bot asks the plain question
  expect(texts(await h.sayActivities('Jan Goed'))).toEqual([expect.stringMatching(NAME_ADDRESS)]);
  expect(texts(await h.sayActivities('Jan Goed'))).toEqual([expect.stringMatching(ADDRESS_Q)]);
  const email = await h.sayActivities(ADDRESS);
  expect(titles(email[email.length - 1])).toEqual(['Ja, dit adres', 'Ander adres', 'Geen e-mail']);
  const plain = await h.sayActivities('Ander adres');
  expect(texts(plain)).toEqual([expect.stringMatching(REACH)]);
  const summary = await h.sayActivities('Geen e-mail');
  expect(textOf(summary[0])).toContain('- E-mail: (niet ingevuld)');
  expect(await fileAndGetContact()).toMatchObject({ name: 'Jan Goed', email: null });
});

test('name declined, e-mail skipped on the suggestion itself', async () => {
  service.members.set(JAN.id, JAN);
  await toContact();
  expect(texts(await h.sayActivities('nee'))).toEqual([expect.stringMatching(NAME_ADDRESS)]);
  await h.sayActivities(`Piet Pieters, ${ADDRESS}`);
  // no e-mail: the phone number is asked for once, and may be skipped too
  expect(texts(await h.sayActivities('Geen e-mail'))).toEqual(['Op welk telefoonnummer kunnen we u bereiken?']);
  const summary = await h.sayActivities('Overslaan');
  expect(textOf(summary[0])).toContain('- Naam: Piet Pieters');
  expect(await fileAndGetContact()).toMatchObject({ name: 'Piet Pieters', email: null });
});

test('in English the suggestion is asked in English and "yes" confirms it', async () => {
  service.members.set(JAN.id, JAN);
  h = await openTeams({ file: db.file, serviceUrl: service.serviceUrl, locale: 'en-US' });
  await install(h);
  const replies = await sayAll(h, [
    'I called three times about my passport and nobody called back, and the person on the phone was rude',
    'How I was treated',
    'Yes',
    'last Tuesday',
    'the staff member',
    'Skip',
    'No, continue',
  ]);
  const question = replies[replies.length - 1];
  expect(textOf(question)).toBe('Your Teams profile gives the name **Jan de Vries**. May I use this name for your complaint? You can also type a different name.');
  expect(titles(question)).toEqual(['Yes, this name', 'No, another name']);
  expect(texts(await h.sayActivities('yes'))).toEqual([expect.stringMatching(/^What is your address\?/)]);
  expect(teamsRenderProblems(replies)).toEqual([]);
});

test('a profile without an e-mail address: only the name is suggested', async () => {
  service.members.set(JAN.id, { ...JAN, email: undefined } as unknown as TeamsChannelAccount);
  const question = await toContact();
  expect(textOf(question)).toContain('**Jan de Vries**');
  await h.sayActivities('Ja, deze naam');
  const email = await h.sayActivities(ADDRESS);
  expect(textOf(email[email.length - 1])).toMatch(/Genoteerd: adres Dorpsstraat 12, 1182 JR Amstelveen\.\s+Op welk telefoonnummer of e-mailadres/);
});

test('lookup fails (the Teams service answers 404, member not found): the bot simply asks', async () => {
  // no member in the roster
  const question = await toContact();
  expect(textOf(question)).toMatch(NAME_ADDRESS);
  expect(service.memberLookups()).toEqual([expect.stringContaining(`/members/${encodeURIComponent(USER.id)}`)]);
  const email = await h.sayActivities(`Jan Jansen, ${ADDRESS}`);
  expect(textOf(email[email.length - 1])).toMatch(/Genoteerd: naam Jan Jansen, adres Dorpsstraat 12, 1182 JR Amstelveen\.\s+Op welk telefoonnummer of e-mailadres/);
  await h.sayActivities('jan@example.nl');
  expect(await fileAndGetContact()).toMatchObject({ name: 'Jan Jansen', email: 'jan@example.nl' });
});

test('lookup fails (the Teams service answers 403 Forbidden): the bot simply asks', async () => {
  service.members.set(JAN.id, JAN);
  service.failWith = { status: 403, code: 'BotDisabledByAdmin' };
  const question = await toContact();
  expect(textOf(question)).toMatch(NAME_ADDRESS);
  expect(service.memberLookups()).toHaveLength(1);
});

test('no lookup outside Teams: on Web Chat the same intake just asks', async () => {
  service.members.set(JAN.id, JAN);
  h = await Harness.open({ file: db.file, channelId: 'webchat' });
  await h.join();
  const replies = await sayAll(h, TO_CONTACT);
  expect(textOf(replies[replies.length - 1])).toMatch(NAME_ADDRESS);
  expect(service.requests).toEqual([]);
});

describe('call-back requests in a personal chat', () => {
  async function toCallbackName(): Promise<Partial<Activity>> {
    h = await openTeams({ file: db.file, serviceUrl: service.serviceUrl });
    await install(h);
    const offer = await h.sayActivities('bel mij terug');
    expect(textOf(offer[0])).toContain('Of wilt u dat wij u terugbellen?');
    // without a story the bot asks what the call is about
    expect(texts(await h.sayActivities('Ja, bel mij terug'))).toEqual(['Waar gaat het over? Een paar woorden is genoeg.']);
    const [question] = await h.sayActivities('mijn paspoort');
    return question;
  }
  const storedCallback = async () => (await h.complaints.listCallbacksByConversation('msteams', String(h.adapter.template.conversation!.id)))[0];

  test('the profile name is offered and taken on a clear yes', async () => {
    service.members.set(JAN.id, JAN);
    const question = await toCallbackName();
    expect(textOf(question)).toContain('**Jan de Vries**');
    expect(textOf(question)).toContain('terugbellen');
    expect(titles(question)).toEqual(['Ja, deze naam', 'Nee, andere naam']);
    expect(texts(await h.sayActivities('Ja, deze naam'))).toEqual(['Op welk telefoonnummer kunnen we u bellen?']);
    await sayAll(h, ['0612345678', '1', 'ochtend']);
    expect(await storedCallback()).toMatchObject({ name: 'Jan de Vries', phone: '+31612345678', partOfDay: 'morning' });
  });

  test('a typed name wins; "another name" and a doubtful yes get the ordinary question', async () => {
    service.members.set(JAN.id, JAN);
    await toCallbackName();
    expect(texts(await h.sayActivities('Nee, andere naam'))).toEqual(['Wat is uw naam?']);
    expect(texts(await h.sayActivities('Petra de Vries'))).toEqual(['Op welk telefoonnummer kunnen we u bellen?']);
    await sayAll(h, ['0612345678', '1', 'middag']);
    expect(await storedCallback()).toMatchObject({ name: 'Petra de Vries', partOfDay: 'afternoon' });
  });

  test('a name typed over the suggestion is taken as typed', async () => {
    service.members.set(JAN.id, JAN);
    await toCallbackName();
    expect(texts(await h.sayActivities('J. de Vries-Bakker'))).toEqual(['Op welk telefoonnummer kunnen we u bellen?']);
    await sayAll(h, ['0612345678', '1', 'ochtend']);
    expect(await storedCallback()).toMatchObject({ name: 'J. de Vries-Bakker' });
  });

  test('without a profile (lookup fails) the bot simply asks the name', async () => {
    const question = await toCallbackName(); // no member registered: the Teams service answers 404
    expect(textOf(question)).toBe('Wat is uw naam?');
  });
});
