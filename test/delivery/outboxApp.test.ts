/**
 * The outbox in the real app over real HTTP: the citizen gets the reference while a delivery hangs
 * (the worker runs beside the conversation, never in it); staff see a complaint's deliveries and retry
 * a failed one through the staff API; app.close() stops the worker cleanly. The plugin is the test's
 * own (the worker's collaborator), injected with createApp's deliveryPlugins.
 */
import { createHash } from 'crypto';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { DeliveryContext, DeliveryPlugin, DeliverySubject } from '../../src/delivery/types';
import { PermanentDeliveryError } from '../../src/delivery/types';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';
import { openStore } from '../../src/store';
import { Channel } from '../../src/tools/channel';
import { NOW, tempDbFile } from '../helpers/harness';
import { DUTCH_TO_SUMMARY_RECOGNISED } from '../helpers/script';
import { API_TOKEN, API_TOKEN_ENTRY, request } from '../staff/helpers';
import { input, origin } from '../store/contract/fixtures';

class ZgwUnderTest implements DeliveryPlugin {
  readonly target = 'zgw' as const;
  started: number[] = [];
  finished: number[] = [];
  behave: (ctx: DeliveryContext) => Promise<void> = async () => undefined;
  wants(s: DeliverySubject): boolean {
    return s.kind === 'complaint';
  }
  async deliver(ctx: DeliveryContext): Promise<void> {
    this.started.push(ctx.delivery.id);
    await this.behave(ctx);
    this.finished.push(ctx.delivery.id);
  }
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** a klachtbehandelaar's API token: no list of all deliveries, no retry */
const HANDLER_TOKEN = 'handler-token-0123456789abcdef';
let db: ReturnType<typeof tempDbFile>;
let app: App | undefined;
let base: string;
const plugin = new ZgwUnderTest();

async function start(): Promise<App> {
  const config = loadConfig({
    DATABASE_URL: `sqlite:${db.file}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    STAFF_API_TOKENS: `${API_TOKEN_ENTRY},h1:${createHash('sha256').update(HANDLER_TOKEN).digest('hex')}:handler`,
    DELIVERY_TIMEOUT_MS: '60000',
    STAFF_PUBLIC_URL: 'https://klachten.example.nl',
  });
  const a = await createApp(config, loadMunicipality(), { log: createLogger(process.env.DEBUG_LOG ? 'error' : 'silent'), clock: () => NOW, deliveryPlugins: [plugin], deliveryPollMs: 200 });
  base = `http://127.0.0.1:${await a.listen(0)}`;
  return a;
}

beforeEach(() => {
  db = tempDbFile();
  plugin.started = [];
  plugin.finished = [];
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  db.cleanup();
});

test('the citizen gets the reference while the delivery hangs; app.close() stops the worker and the row is due again', async () => {
  plugin.behave = (ctx) => new Promise<void>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
  app = await start();
  const channel = await new Channel(base).start();
  try {
    const conv = 'outbox-conv-1';
    await channel.join(conv);
    for (const [text, expected] of DUTCH_TO_SUMMARY_RECOGNISED) {
      const { replies } = await channel.say(conv, text);
      expect(replies.map((r) => r.text).join('\n')).toMatch(expected);
    }
    const t0 = Date.now();
    const done = await channel.say(conv, 'Ja, versturen');
    const ms = Date.now() - t0;
    const reference = /KL-2026-[A-Z0-9]{6}/.exec(done.replies.map((r) => r.text).join('\n'))?.[0];
    expect(reference).toBeDefined();
    expect(ms).toBeLessThan(3000);
    // the delivery started and hangs: the citizen did not wait for it
    await until(() => plugin.started.length === 1, 'the delivery to start');
    expect(plugin.finished).toEqual([]);
    const detail = await request(base, 'GET', `/staff/api/complaints/${reference}`, { token: API_TOKEN });
    expect(detail.status).toBe(200);
    expect(detail.json.deliveries).toEqual([expect.objectContaining({ target: 'zgw', status: 'sending', attempts: 1, subject: { kind: 'complaint', reference } })]);
    const list = await request(base, 'GET', `/staff/api/complaints/${reference}/deliveries`, { token: API_TOKEN });
    expect(list.json.items.map((d: { id: number }) => d.id)).toEqual([plugin.started[0]]);
  } finally {
    await channel.stop();
  }
  const closing = Date.now();
  await app.close();
  app = undefined;
  expect(Date.now() - closing).toBeLessThan(5000);
  const store = await openStore(`sqlite:${db.file}`);
  try {
    expect(await store.outbox.get(plugin.started[0])).toMatchObject({ status: 'pending', lastError: 'stopping', nextAttemptAt: NOW.toISOString() });
  } finally {
    await store.close();
  }
});

test('staff list failed deliveries and retry one through the staff API; the retry is audited', async () => {
  let fail = true;
  plugin.behave = async () => {
    if (fail) throw new PermanentDeliveryError('HTTP 400 from the Zaken API');
  };
  app = await start();
  const a = app;
  const { reference } = await a.complaints.file(input, origin, 'staff-retry-1');
  await until(async () => (await a.store.outbox.counts()).failed === 1, 'the delivery to fail');

  const failed = await request(base, 'GET', '/staff/api/deliveries?status=failed', { token: API_TOKEN });
  expect(failed.status).toBe(200);
  expect(failed.json.items).toEqual([expect.objectContaining({ status: 'failed', lastError: 'HTTP 400 from the Zaken API', subject: { kind: 'complaint', reference } })]);
  const id = failed.json.items[0].id as number;
  expect((await request(base, 'GET', '/staff/api/deliveries?status=lost', { token: API_TOKEN })).json).toMatchObject({ error: 'invalid_query', message: expect.any(String) });
  expect((await request(base, 'GET', '/staff/api/deliveries')).status).toBe(401);

  // a klachtbehandelaar may not list every delivery or retry one
  const refused = await request(base, 'GET', '/staff/api/deliveries?status=failed', { token: HANDLER_TOKEN });
  expect(refused.status).toBe(403);
  expect(refused.json).toEqual({ error: 'forbidden', message: expect.any(String) });
  expect((await request(base, 'POST', `/staff/api/deliveries/${id}/retry`, { token: HANDLER_TOKEN })).status).toBe(403);
  expect((await a.store.outbox.get(id))?.status).toBe('failed');
  // the staff page link in officers' mails
  expect(a.delivery.deps.staffLink(reference)).toBe(`https://klachten.example.nl/staff/#/complaints/${reference}`);

  fail = false;
  const retried = await request(base, 'POST', `/staff/api/deliveries/${id}/retry`, { token: API_TOKEN });
  expect(retried.status).toBe(200);
  expect(retried.json).toMatchObject({ id, status: 'pending', nextAttemptAt: NOW.toISOString(), retryFrom: NOW.toISOString() });
  await until(async () => (await a.store.outbox.get(id))?.status === 'sent', 'the retried delivery to be sent');
  expect(plugin.started).toEqual([id, id]);

  const again = await request(base, 'POST', `/staff/api/deliveries/${id}/retry`, { token: API_TOKEN });
  expect(again.status).toBe(409);
  expect(again.json).toEqual({ error: 'not_retryable', message: 'Deze verzending is al verstuurd.' });
  expect((await request(base, 'POST', '/staff/api/deliveries/999999/retry', { token: API_TOKEN })).status).toBe(404);
  const audit = await a.store.audit.list({ action: 'delivery.retry', limit: 10 });
  expect(audit).toEqual([expect.objectContaining({ actor: expect.stringContaining('ops'), references: [reference], detail: { id, target: 'zgw', from: 'failed' } })]);
  expect(await a.store.audit.count({ action: 'deliveries.list' })).toBe(1); // the refused query is not a read
});

test('a complaint entered by hand (by phone) gets its deliveries like the bot’s (not the officers’ alert); entered twice with one key, delivered once', async () => {
  app = await start();
  const a = app;
  const body = {
    route: 'complaint',
    story: 'Belde op: de vuilnisbak is al drie weken niet geleegd in onze straat.',
    place: 'Kastanjelaan',
    contact: { name: 'Karel de Boer', phone: '020 1234567', street: 'Kastanjelaan 3', postcode: '1181 AB', city: 'Amstelveen', email: null },
    channel: 'phone',
  };
  const first = await request(base, 'POST', '/staff/api/complaints', { token: API_TOKEN, body, headers: { 'Idempotency-Key': 'phone-1' } });
  expect(first.status).toBe(201);
  const reference = first.json.reference as string;
  await until(async () => (await a.store.outbox.counts()).sent === 1, 'the zgw delivery of the entered complaint', 5000);
  const again = await request(base, 'POST', '/staff/api/complaints', { token: API_TOKEN, body, headers: { 'Idempotency-Key': 'phone-1' } });
  expect(again.json.reference).toBe(reference);
  const detail = await request(base, 'GET', `/staff/api/complaints/${reference}`, { token: API_TOKEN });
  expect(detail.json.deliveries).toEqual([expect.objectContaining({ target: 'zgw', status: 'sent', subject: { kind: 'complaint', reference } })]);
  expect((await a.store.outbox.counts()).sent).toBe(1);
});
