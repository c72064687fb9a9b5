/** fitForTeams: what the bot sends is reshaped into what Teams shows. */
import { MessageFactory, type Activity, type CardAction } from 'botbuilder';
import { fitForTeams } from '../../src/teams/rendering';
import { allButtons, teamsRenderProblems } from './teamsHarness';

const actions = (n: number): CardAction[] => Array.from({ length: n }, (_, i) => ({ type: 'imBack', title: `Keuze ${i + 1}`, value: `Keuze ${i + 1}` }));
const hero = (text: string, buttons: CardAction[]) =>
  MessageFactory.attachment({ contentType: 'application/vnd.microsoft.card.hero', content: { text, buttons } });

test('up to 3 suggested actions stay as they are', () => {
  const msg = MessageFactory.suggestedActions(actions(3), 'Klopt dat?');
  const before = JSON.stringify(msg);
  fitForTeams(msg);
  expect(JSON.stringify(msg)).toBe(before);
});

test('more than 3 suggested actions become hero card buttons, text stays message text', () => {
  const msg = MessageFactory.suggestedActions(actions(4), 'Welke dag?');
  fitForTeams(msg);
  expect(msg.suggestedActions).toBeUndefined();
  expect(msg.text).toBe('Welke dag?');
  expect(allButtons(msg).map((b) => b.title)).toEqual(['Keuze 1', 'Keuze 2', 'Keuze 3', 'Keuze 4']);
  expect(teamsRenderProblems([msg])).toEqual([]);
});

test('a hero card with Markdown and 9 buttons: text to the message, buttons over cards of at most 6, order kept', () => {
  const msg = hero('Wat wilt u **aanpassen**?\n\n1. het verhaal', actions(9));
  expect(teamsRenderProblems([msg])).toEqual(expect.arrayContaining([expect.stringContaining('hero card with 9 buttons'), expect.stringContaining('Markdown')]));
  fitForTeams(msg);
  expect(msg.text).toBe('Wat wilt u **aanpassen**?\n\n1. het verhaal');
  expect(msg.attachments!.map((a) => (a.content as { buttons: unknown[]; text?: string }).buttons.length)).toEqual([6, 3]);
  expect(msg.attachments!.every((a) => (a.content as { text?: string }).text === undefined)).toBe(true);
  expect(msg.attachmentLayout).toBe('list');
  expect(allButtons(msg).map((b) => b.value)).toEqual(actions(9).map((a) => a.value));
  expect(teamsRenderProblems([msg])).toEqual([]);
});

test('a card with a title keeps it and its first 6 buttons; other attachments and non-messages are left alone', () => {
  const msg = MessageFactory.attachment({ contentType: 'application/vnd.microsoft.card.hero', content: { title: 'Titel', buttons: actions(7) } });
  fitForTeams(msg);
  expect((msg.attachments![0].content as { title: string }).title).toBe('Titel');
  expect(allButtons(msg)).toHaveLength(7);
  const typing = { type: 'typing' } as Partial<Activity>;
  expect(fitForTeams(typing)).toEqual({ type: 'typing' });
  const file = MessageFactory.attachment({ contentType: 'application/pdf', contentUrl: 'https://example.nl/a.pdf' });
  fitForTeams(file);
  expect(file.attachments).toEqual([{ contentType: 'application/pdf', contentUrl: 'https://example.nl/a.pdf' }]);
});
