/**
 * In a Teams group chat or channel the bot takes no complaint: other people would read the personal
 * data. It explains this, offers a personal chat, and keeps nothing of what was written.
 */
import type { Activity } from 'botbuilder';
import { Harness, tempDbFile, textOf } from '../helpers/harness';
import { BOT, BOT_APP_ID, JAN, TeamsService, install, openTeams, allButtons, teamsRenderProblems, type ConversationType } from './teamsHarness';

let service: TeamsService;
let h: Harness;
let db: { file: string; cleanup: () => void };

beforeEach(async () => {
  service = await new TeamsService().start();
  service.members.set(JAN.id, JAN);
  db = tempDbFile();
});

afterEach(async () => {
  await h.close();
  await service.close();
  db.cleanup();
});

const PERSONAL_CHAT = `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(`28:${BOT_APP_ID}`)}`;
const STORY = 'Ik ben Jan de Vries, 0612345678, Dorpsstraat 12. De medewerker aan de balie was erg onvriendelijk tegen mij.';

function expectRefusal(reply: Partial<Activity>, text: RegExp, button: string) {
  expect(textOf(reply)).toMatch(text);
  expect(allButtons(reply)).toEqual([{ type: 'openUrl', title: button, value: PERSONAL_CHAT }]);
}

/** Nothing of the conversation's text in the database: no complaint, no draft, no state holding it. */
async function expectNothingKept() {
  expect(await h.complaints.countComplaints()).toBe(0);
  const state = JSON.stringify(await h.db.all('SELECT key, data FROM bot_state'));
  for (const fragment of ['0612345678', 'onvriendelijk', 'Dorpsstraat', 'Jan de Vries']) expect(state).not.toContain(fragment);
  expect(state).not.toContain('"draft"');
}

test.each<[ConversationType]>([['groupChat'], ['channel']])('%s: install explains, messages are refused with a personal-chat button, nothing is kept', async (type) => {
  h = await openTeams({ file: db.file, serviceUrl: service.serviceUrl, conversationType: type });
  const all: Partial<Activity>[] = [];

  // the bot added to the group chat or team
  const installed = await install(h, [BOT]);
  all.push(...installed);
  expect(installed).toHaveLength(1);
  expectRefusal(installed[0], /Hallo! Ik ben de digitale assistent van Gemeente Amstelveen[\s\S]*In een groepschat of kanaal neem ik \*\*geen klacht\*\* op/, 'Persoonlijke chat openen');

  // someone else joins the group: the bot stays quiet
  expect(await install(h, [{ id: '29:another-member', name: 'Piet' }])).toEqual([]);

  // a story with personal data: refused, not taken in
  for (const text of [STORY, 'hoe ik behandeld ben', 'help', 'bel mij terug']) {
    const replies = await h.sayActivities(text);
    all.push(...replies);
    expect(replies).toHaveLength(1);
    expectRefusal(replies[0], /^In een groepschat of kanaal neem ik \*\*geen klacht\*\* op\. .*anderen hier kunnen lezen\. Schrijf hier dus geen persoonlijke gegevens\.\n\nOpen een persoonlijke chat met mij/s, 'Persoonlijke chat openen');
  }
  await expectNothingKept();
  // no roster lookup in a shared conversation
  expect(service.requests).toEqual([]);
  expect(teamsRenderProblems(all)).toEqual([]);
});

test('channel in English: the refusal is in English', async () => {
  h = await openTeams({ file: db.file, serviceUrl: service.serviceUrl, conversationType: 'channel', locale: 'en-GB' });
  const [reply] = await h.sayActivities('I want to file a complaint about the way I was treated at the counter yesterday.');
  expectRefusal(reply, /^In a group chat or channel I do \*\*not take a complaint\*\*\. .*Open a personal chat with me/s, 'Open a personal chat');
  await expectNothingKept();
});

test('the same person in a personal chat gets the intake', async () => {
  h = await openTeams({ file: db.file, serviceUrl: service.serviceUrl, conversationType: 'personal' });
  const replies = await h.sayActivities(STORY);
  expect(textOf(replies[replies.length - 1])).toContain('Waar gaat het over?');
});
