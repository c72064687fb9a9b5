/**
 * Contract test through the real app over real HTTP: the zgw and klantinteracties plugins switched on by
 * configuration (ZGW_*, KLANTINTERACTIES_*) against the local server that validates every request
 * against the vendored specifications (test/helpers/openapiServer.ts). The backends are down when the
 * citizen files: the complaint is filed and the citizen gets the reference at once; the deliveries are
 * retried and staff see their status and last error (GET /staff/api/complaints/:ref/deliveries); after
 * recovery exactly one zaak exists, and the klantcontact points at it.
 */
jest.mock('jose', () => require('module')._load(require.resolve('jose'), null, false));

import { randomUUID } from 'crypto';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';
import { Channel } from '../../src/tools/channel';
import { NOW, tempDbFile } from '../helpers/harness';
import { OpenApiServer } from '../helpers/openapiServer';
import { DUTCH_TO_SUMMARY_RECOGNISED } from '../helpers/script';
import { API_TOKEN, API_TOKEN_ENTRY, request } from '../staff/helpers';

const CLIENT_ID = 'klachtbot-app';
const SECRET = 'geheim-voor-de-app-test-0123456789';
const TOKEN = 'open-klant-token-0123456789abcdef';
const ACTOR = randomUUID();
const CATALOGI = 'https://catalogi.example.nl/catalogi/api/v1';

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000, step?: () => void): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await check()) return;
    step?.();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let db: ReturnType<typeof tempDbFile>;
let app: App | undefined;
let server: OpenApiServer;

beforeEach(async () => {
  db = tempDbFile();
  server = await OpenApiServer.start({
    specs: ['zaken-1.5.1.openapi.yaml', 'documenten-1.4.2.openapi.yaml', 'klantinteracties-0.9.0.openapi.yaml'],
    jwtClients: { [CLIENT_ID]: SECRET },
    tokens: [TOKEN],
    seed: { '/klantinteracties/api/v1/actoren': [{ uuid: ACTOR, url: `http://x/klantinteracties/api/v1/actoren/${ACTOR}`, naam: 'Klachtenfunctionarissen' }] },
  });
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await server.stop();
  db.cleanup();
});

test('contract test through the app: backends down → the citizen still gets the reference; retried with the status visible to staff; after recovery exactly one zaak', async () => {
  const clock = { now: NOW };
  const config = loadConfig({
    DATABASE_URL: `sqlite:${db.file}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    STAFF_API_TOKENS: API_TOKEN_ENTRY,
    ZGW_ZAKEN_URL: server.base('zaken'),
    ZGW_DOCUMENTEN_URL: server.base('documenten'),
    ZGW_CLIENT_ID: CLIENT_ID,
    ZGW_SECRET: SECRET,
    ZGW_ZAAKTYPE_URL: `${CATALOGI}/zaaktypen/${randomUUID()}`,
    ZGW_ROLTYPE_INITIATOR_URL: `${CATALOGI}/roltypen/${randomUUID()}`,
    ZGW_STATUSTYPE_URL: `${CATALOGI}/statustypen/${randomUUID()}`,
    ZGW_INFORMATIEOBJECTTYPE_URL: `${CATALOGI}/informatieobjecttypen/${randomUUID()}`,
    ZGW_BRONORGANISATIE: '002220647',
    ZGW_TIMEOUT_MS: '2000',
    KLANTINTERACTIES_URL: server.base('klantinteracties'),
    KLANTINTERACTIES_TOKEN: TOKEN,
    KLANTINTERACTIES_ACTOR_URL: `${server.base('klantinteracties')}/actoren/${ACTOR}`,
  });
  await server.down();
  app = await createApp(config, loadMunicipality(), { log: createLogger('silent'), clock: () => clock.now, deliveryPollMs: 100 });
  const base = `http://127.0.0.1:${await app.listen(0)}`;

  // the citizen files while Open Zaak and Open Klant are unreachable
  const channel = await new Channel(base).start();
  let reference: string | undefined;
  try {
    const conv = 'zgw-app-conv-1';
    await channel.join(conv);
    for (const [text, expected] of DUTCH_TO_SUMMARY_RECOGNISED) {
      const { replies } = await channel.say(conv, text);
      expect(replies.map((r) => r.text).join('\n')).toMatch(expected);
    }
    const t0 = Date.now();
    const done = await channel.say(conv, 'Ja, versturen');
    expect(Date.now() - t0).toBeLessThan(3000);
    reference = /KL-2026-[A-Z0-9]{6}/.exec(done.replies.map((r) => r.text).join('\n'))?.[0];
  } finally {
    await channel.stop();
  }
  expect(reference).toBeDefined();
  expect(await app.store.complaints.getByReference(reference!)).toMatchObject({ reference, status: 'received' });

  // retried, and staff see why
  const deliveries = async () => (await request(base, 'GET', `/staff/api/complaints/${reference}/deliveries`, { token: API_TOKEN })).json.items as {
    target: string;
    status: string;
    attempts: number;
    lastError: string | null;
    state: Record<string, unknown>;
  }[];
  await until(async () => {
    const items = await deliveries();
    return items.length === 2 && items.every((d) => d.status === 'pending' && d.attempts >= 1 && /no connection/.test(d.lastError ?? ''));
  }, 'both deliveries to wait for a retry');
  const waiting = await deliveries();
  expect(waiting.map((d) => d.target).sort()).toEqual(['klantinteracties', 'zgw']);
  for (const d of waiting) {
    expect(d.lastError).not.toMatch(/Jan|Jansen|Dorpsstraat|12345678/);
  }
  expect(server.requests).toEqual([]);

  // recovery: the next attempts (five minutes later on the app's clock) go through
  await server.up();
  await until(
    async () => (await deliveries()).every((d) => d.status === 'sent'),
    'both deliveries to be sent',
    20_000,
    () => (clock.now = new Date(clock.now.getTime() + 6 * 60_000)),
  );
  expect(server.violations).toEqual([]);
  expect(server.responseViolations).toEqual([]);
  expect(server.list('zaken', '/zaken')).toHaveLength(1);
  expect(server.created('zaak_create')).toHaveLength(1);
  expect(server.list('zaken', '/rollen')).toHaveLength(1);
  expect(server.list('zaken', '/statussen')).toHaveLength(1);
  expect(server.list('documenten', '/enkelvoudiginformatieobjecten')).toHaveLength(2);
  expect(server.list('zaken', '/zaakinformatieobjecten')).toHaveLength(2);
  const zaak = server.list('zaken', '/zaken')[0];
  expect(zaak.kenmerken).toEqual([{ kenmerk: reference, bron: 'klachtbot' }]);
  // the conversation as the transcript document
  const transcript = server.list('documenten', '/enkelvoudiginformatieobjecten').find((d) => d.formaat === 'application/json')!;
  expect(server.contents.get(String(transcript.url))!.toString('utf8')).toContain('Ja, versturen');

  const sent = await deliveries();
  expect(sent.find((d) => d.target === 'zgw')!.state).toMatchObject({ zaak: zaak.url, zaakIdentificatie: zaak.identificatie });
  expect(server.list('klantinteracties', '/klantcontacten')).toHaveLength(1);
  expect(server.list('klantinteracties', '/onderwerpobjecten')).toEqual([
    expect.objectContaining({ onderwerpobjectidentificator: expect.objectContaining({ objectId: zaak.url, codeObjecttype: 'zaak' }) }),
  ]);
  expect(server.list('klantinteracties', '/bijlagen')).toHaveLength(1);
});
