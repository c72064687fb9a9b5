/**
 * The citizen's chat over the built-in Direct Line, as the chat page does it, from a chosen loopback
 * source address: a page token, the conversation start, one message and the bot's answer to it.
 * Used by the fault tests to show the chat still works after an attack or a fault.
 */
import { request } from './client';

export interface ChatConversation {
  conversationId: string;
  token: string;
  streamUrl: string;
}

/** A page token and the conversation start (201). */
export async function startChat(base: string, from = '127.0.0.1', timeoutMs = 5000): Promise<ChatConversation> {
  const t = await request(`${base}/api/directline/token`, { method: 'POST', body: { locale: 'nl-NL' }, from, timeoutMs });
  if (t.status !== 200) throw new Error(`page token: ${t.status} ${t.text}`);
  const started = await request(`${base}/v3/directline/conversations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.json.token}` },
    from,
    timeoutMs,
  });
  if (started.status !== 201) throw new Error(`conversation start: ${started.status} ${started.text}`);
  return { conversationId: started.json.conversationId, token: started.json.token, streamUrl: started.json.streamUrl };
}

/**
 * One turn: posts `text` and polls the activities until the bot has answered it; returns the bot's
 * texts after the message. Throws when there is no answer within `timeoutMs`.
 */
export async function chatTurn(base: string, from = '127.0.0.1', text = 'Ik wil een klacht indienen', timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const c = await startChat(base, from, timeoutMs);
  const auth = { Authorization: `Bearer ${c.token}` };
  const url = `${base}/v3/directline/conversations/${c.conversationId}/activities`;
  const posted = await request(url, { body: { type: 'message', text, locale: 'nl-NL', from: { id: 'burger' } }, headers: auth, from, timeoutMs });
  if (posted.status !== 200) throw new Error(`post activity: ${posted.status} ${posted.text}`);
  for (;;) {
    const got = await request(url, { headers: auth, from, timeoutMs });
    if (got.status !== 200) throw new Error(`get activities: ${got.status} ${got.text}`);
    const activities = got.json.activities as { id: string; type: string; text?: string; from: { role?: string } }[];
    const mine = activities.findIndex((a) => a.id === posted.json.id);
    const answers = activities.slice(mine + 1).filter((a) => a.type === 'message' && a.from.role === 'bot' && a.text);
    if (mine >= 0 && answers.length > 0) return answers.map((a) => a.text!);
    if (Date.now() > deadline) throw new Error(`no answer from the bot within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
