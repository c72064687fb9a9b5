/**
 * End to end over HTTP: a channel talks to the real app on /api/messages, files a complaint, and the
 * staff API returns exactly that conversation, in and out, in order, linked to the complaint.
 */
import { Channel, type ChannelActivity } from '../../src/tools/channel';
import { DUTCH_TO_SUMMARY_RECOGNISED } from '../helpers/script';
import { API_TOKEN, API_TOKEN_ENTRY, request, startApp, type TestApp } from '../staff/helpers';

let t: TestApp;

const texts = (replies: ChannelActivity[]) => replies.filter((r) => r.type === 'message').map((r) => r.text ?? '');
let channel: Channel;

beforeAll(async () => {
  t = await startApp({ STAFF_API_TOKENS: API_TOKEN_ENTRY });
  channel = await new Channel(t.base).start();
});

afterAll(async () => {
  await channel.stop();
  await t.close();
});

test('every activity of a conversation is recorded and the complaint links to its transcript', async () => {
  const conv = 'e2e-transcript-1';
  const sent: string[] = [];
  const received: string[] = [];
  const join = await channel.join(conv);
  received.push(...texts(join.replies));
  for (const [input] of [...DUTCH_TO_SUMMARY_RECOGNISED, ['Ja, versturen'] as const]) {
    sent.push(input);
    const { status, replies } = await channel.say(conv, input);
    expect(status).toBe(200);
    received.push(...texts(replies));
  }
  const reference = /KL-\d{4}-[A-Z0-9]{6}/.exec(received.join('\n'))?.[0];
  expect(reference).toBeDefined();
  // a re-delivered activity (same id) is answered once and logged once
  const before = (await t.app.transcripts.getAllActivities('emulator', conv)).length;
  const again = await channel.send(conv, { type: 'message', id: 'repeat-1', text: 'dank u' });
  await channel.send(conv, { type: 'message', id: 'repeat-1', text: 'dank u' });
  sent.push('dank u');
  received.push(...texts(again.replies));
  await t.app.transcripts.flush();

  const res = await request(t.base, 'GET', `/staff/api/complaints/${reference}`, { token: API_TOKEN });
  expect(res.status).toBe(200);
  const transcript = res.json.transcript as { type: string; text?: string; from: { role: string } }[];
  expect(transcript.length).toBeGreaterThan(before);
  expect(transcript[0].type).toBe('conversationUpdate');
  const messages = transcript.filter((a) => a.type === 'message');
  expect(messages.filter((a) => a.from.role === 'user').map((a) => a.text)).toEqual(sent);
  expect(messages.filter((a) => a.from.role === 'bot').map((a) => a.text ?? '')).toEqual(received);
  // in order: each citizen message comes before the bot's answers to it
  const firstStory = messages.findIndex((a) => a.text === sent[0]);
  expect(messages.slice(0, firstStory).every((a) => a.from.role === 'bot')).toBe(true);
  expect(messages[firstStory + 1].from.role).toBe('bot');
  expect(messages[messages.length - 1].from.role).toBe('bot');
  expect(messages.filter((a) => a.text === 'dank u')).toHaveLength(1);

  const file = await request(t.base, 'GET', `/staff/api/complaints/${reference}/transcript`, { token: API_TOKEN });
  expect(file.status).toBe(200);
  expect(file.headers['content-disposition']).toBe(`attachment; filename="${reference}.transcript"`);
  expect(file.headers['content-type']).toMatch(/^application\/json/);
  const activities = JSON.parse(file.text);
  expect(activities).toHaveLength(transcript.length);
  for (const a of activities) {
    expect(a).toMatchObject({ channelId: 'emulator', conversation: { id: conv } });
    expect(typeof a.id).toBe('string');
    expect(typeof a.timestamp).toBe('string');
    expect(['user', 'bot']).toContain(a.from.role);
    expect(['user', 'bot']).toContain(a.recipient.role);
  }
});

test('a Teams group chat is not recorded (no complaint is taken there); a personal Teams chat is', async () => {
  const teams = await new Channel(t.base, 'msteams').start();
  const channelData = { tenant: { id: 'tenant-1' } };
  await teams.send('group-1', { type: 'message', text: 'Jan, bel jij de gemeente even over mijn paspoort?', conversation: { id: 'group-1', conversationType: 'groupChat', isGroup: true }, channelData } as never);
  await teams.send('personal-1', { type: 'message', text: 'hallo', conversation: { id: 'personal-1', conversationType: 'personal' }, channelData } as never);
  await teams.stop();
  await t.app.transcripts.flush();
  expect(await t.app.transcripts.getAllActivities('msteams', 'group-1')).toEqual([]);
  expect((await t.app.transcripts.getAllActivities('msteams', 'personal-1')).length).toBeGreaterThan(0);
});
