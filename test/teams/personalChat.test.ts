/**
 * The bot in a personal (1:1) Teams chat, with Teams activities through the real bot, dialogs and
 * SQLite store. TeamsInfo.getMember runs for real against TeamsService, a local HTTP listener in the
 * role of the Teams connector service (see teamsHarness.ts).
 */
import type { Activity } from 'botbuilder';
import { Harness, tempDbFile, textOf } from '../helpers/harness';
import {
  BOT,
  JAN,
  TeamsService,
  TO_CONTACT,
  USER,
  install,
  openTeams,
  sayAll,
  teamsRenderProblems,
  titles,
} from './teamsHarness';

let service: TeamsService;
let h: Harness;
let cleanup: () => void;

beforeEach(async () => {
  service = await new TeamsService().start();
  service.members.set(JAN.id, JAN);
  const db = tempDbFile();
  cleanup = db.cleanup;
  h = await openTeams({ file: db.file, serviceUrl: service.serviceUrl });
});

afterEach(async () => {
  await h.close();
  await service.close();
  cleanup();
});

const texts = (replies: Partial<Activity>[]) => replies.map(textOf);
const conversationId = () => String(h.adapter.template.conversation!.id);

/** The contact details of the draft as stored in conversation state (SQLite). */
async function draftContact(): Promise<Record<string, unknown>> {
  const rows = await h.db.all<{ key: string; data: string }>('SELECT key, data FROM bot_state');
  const row = rows.find((r) => r.key.startsWith(`msteams/conversations/${conversationId()}`));
  return (JSON.parse(row!.data) as { draft: { contact: Record<string, unknown> } }).draft.contact;
}

test('installing the personal app (membersAdded with the bot) welcomes and asks what happened', async () => {
  const replies = await install(h, [BOT]);
  expect(texts(replies)).toEqual([
    expect.stringContaining('digitale assistent van Gemeente Amstelveen'),
    expect.stringContaining('Wat is er gebeurd?'),
  ]);
  // Teams may also announce the user, or send the event again: one welcome per conversation
  expect(await install(h, [BOT, { id: USER.id, name: USER.name }])).toEqual([]);
  expect(teamsRenderProblems(replies)).toEqual([]);
});

test('full intake in a personal Teams chat: routing, profile suggestions confirmed, filed with origin msteams', async () => {
  const all: Partial<Activity>[] = [];
  all.push(...(await install(h)));

  // routing: seven choices; the text (Markdown) is message text, the buttons sit on hero cards of at most six
  // one sentence of acknowledgement, then the route question
  const [ack, noted, route] = await h.sayActivities(TO_CONTACT[0]);
  all.push(ack, noted, route);
  expect(ack.text).toMatch(/Vervelend dat u dit heeft meegemaakt/);
  // what the story gave is said back at once (the summary is its confirmation)
  expect(noted.text).toMatch(/^Genoteerd: .*Aan de telefoon/);
  expect(route.text).toContain('1. **Hoe ik behandeld ben**');
  expect(titles(route)).toEqual([
    'Hoe ik behandeld ben',
    'Oneens met besluit',
    'Belasting of WOZ',
    'Iets op straat',
    'Schade aan spullen',
    'Zorgaanbieder',
    'Iets anders',
  ]);
  expect(route.attachments!.map((a) => a.contentType)).toEqual(['application/vnd.microsoft.card.hero', 'application/vnd.microsoft.card.hero']);
  expect(route.attachmentLayout).toBe('list');

  all.push(...(await sayAll(h, TO_CONTACT.slice(1))));
  const contact = all.slice(-2);
  expect(textOf(contact[0])).toContain('Nu heb ik uw naam en adres nodig');
  // the contact form as an Adaptive Card (Teams renders up to 1.5), typing stays possible
  expect(contact[0].attachments?.map((a) => [a.contentType, (a.content as { version: string }).version])).toEqual([['application/vnd.microsoft.card.adaptive', '1.5']]);
  expect(textOf(contact[1])).toContain('In uw Teams-profiel staat de naam **Jan de Vries**');
  expect(titles(contact[1])).toEqual(['Ja, deze naam', 'Nee, andere naam']);
  // shown, not yet taken: the draft in conversation state holds no name
  expect((await draftContact()).name).toBeUndefined();

  const confirmName = await h.sayActivities('Ja, deze naam');
  all.push(...confirmName);
  expect(texts(confirmName)).toEqual([expect.stringMatching(/^Wat is uw adres\?/)]);
  const emailQuestion = await h.sayActivities('Dorpsstraat 12, 1182jr Amstelveen');
  all.push(...emailQuestion);
  expect(texts(emailQuestion)).toEqual([expect.stringMatching(/^Genoteerd: adres Dorpsstraat 12, 1182 JR Amstelveen\..*het e-mailadres \*\*jan\\\.devries\\@example\\\.nl\*\*/s)]);
  expect(titles(emailQuestion[0])).toEqual(['Ja, dit adres', 'Ander adres', 'Geen e-mail']);

  const summary = await h.sayActivities('ja');
  all.push(...summary);
  expect(textOf(summary[0])).toContain('- Naam: Jan de Vries');
  expect(textOf(summary[0])).toContain('- E-mail: jan\\.devries\\@example\\.nl');

  const filed = await h.sayActivities('Ja, versturen');
  all.push(...filed);
  expect(textOf(filed[0])).toMatch(/Uw kenmerk is \*\*KL-2026-[A-Z0-9]+\*\*/);

  const [complaint] = await h.complaints.listByConversation('msteams', conversationId());
  expect(complaint).toMatchObject({
    channel: 'msteams',
    route: 'complaint',
    locale: 'nl',
    // an e-mail address is enough to reach the citizen: no phone number asked
    contact: { name: 'Jan de Vries', email: 'jan.devries@example.nl', phone: null, street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen' },
  });
  expect(textOf(filed[0])).toContain(complaint.reference);

  // one roster lookup, for this conversation and this user, through the Bot Framework connector API
  expect(service.memberLookups()).toEqual([
    `GET /v3/conversations/${encodeURIComponent(conversationId())}/members/${encodeURIComponent(USER.id)}`,
  ]);
  expect(teamsRenderProblems(all)).toEqual([]);
});

test('a call-back asked for in Teams is stored with origin msteams', async () => {
  await install(h);
  const offer = await h.sayActivities('bel mij terug');
  expect(textOf(offer[0])).toContain('Of wilt u dat wij u terugbellen?');
  const replies = await sayAll(h, ['Ja, bel mij terug', 'mijn paspoortaanvraag', 'Jan de Vries', '0612345678']);
  const dayQuestion = replies[replies.length - 1];
  expect(textOf(dayQuestion)).toBe('Op welke dag mogen we u bellen?');
  expect(dayQuestion.suggestedActions?.actions).toHaveLength(3);
  const stored = await sayAll(h, ['1', 'ochtend']);
  expect(texts(stored).join('\n')).toMatch(/Genoteerd\..*\(Nederlandse tijd\).*over: mijn paspoortaanvraag.*TB-2026-/s);
  const [callback] = await h.complaints.listCallbacksByConversation('msteams', conversationId());
  expect(callback).toMatchObject({ channel: 'msteams', name: 'Jan de Vries', phone: '+31612345678', partOfDay: 'morning', topic: 'mijn paspoortaanvraag' });
  expect(teamsRenderProblems([...offer, ...replies, ...stored])).toEqual([]);
});

test('the contact card submitted in Teams (a message with value, as Teams sends Action.Submit) fills the details', async () => {
  await install(h);
  await sayAll(h, TO_CONTACT);
  const submitted = await h.sayActivities({
    type: 'message',
    value: { klachtbotContact: 1, name: 'Jan de Vries', phone: '', email: 'jan@example.nl', street: 'Dorpsstraat', houseNumber: '12', postcode: '1182jr', city: 'Amstelveen' },
  });
  expect(texts(submitted).join('\n')).toMatch(/- Naam: Jan de Vries/);
  expect(textOf(submitted[submitted.length - 1])).toMatch(/Klopt alles\?/);
  await h.sayActivities('Ja, versturen');
  const [complaint] = await h.complaints.listByConversation('msteams', conversationId());
  expect(complaint.contact).toEqual({ name: 'Jan de Vries', phone: null, email: 'jan@example.nl', street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen' });
  expect(teamsRenderProblems(submitted)).toEqual([]);
});
