import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { BotFrameworkAuthentication, ClaimsIdentity, type ConnectorClient } from 'botframework-connector';
import { ReusingBotFrameworkAuthentication } from '../../src/bot/reusingAuthentication';

// The real ConfigurationBotFrameworkAuthentication without an app id (local use): requests without
// an Authorization header are accepted as anonymous, as with the Emulator.
const real = () => new ConfigurationBotFrameworkAuthentication({});
/** the URL a client sends to (a protected field of ServiceClient) */
const baseUri = (client: ConnectorClient) => (client as unknown as { baseUri: string }).baseUri;
const activity = (serviceUrl: string) =>
  ({ type: 'message', channelId: 'emulator', serviceUrl, conversation: { id: 'c' }, from: { id: 'u' }, recipient: { id: 'b' } }) as Activity;

test('the same connector client is handed out again for the same service URL and audience; another URL gets its own', async () => {
  const auth = new ReusingBotFrameworkAuthentication(real());
  const first = await auth.authenticateRequest(activity('http://127.0.0.1:1'), '');
  const second = await auth.authenticateRequest(activity('http://127.0.0.1:1'), '');
  const a = await first.connectorFactory!.create('http://127.0.0.1:1', first.audience);
  const b = await second.connectorFactory!.create('http://127.0.0.1:1', second.audience);
  const c = await second.connectorFactory!.create('http://127.0.0.1:2', second.audience);
  const d = await second.connectorFactory!.create('http://127.0.0.1:1', 'https://api.botframework.us');
  expect(b).toBe(a);
  expect(c).not.toBe(a);
  expect(d).not.toBe(a);
  expect(baseUri(a)).toBe('http://127.0.0.1:1');
  expect(baseUri(c)).toBe('http://127.0.0.1:2');
  // proactive turns (createConnectorFactory) share the cache
  const proactive = await auth.createConnectorFactory(first.claimsIdentity).create('http://127.0.0.1:1', first.audience);
  expect(proactive).toBe(a);
  // user token clients: one per app id
  expect(await auth.createUserTokenClient(first.claimsIdentity)).toBe(await auth.createUserTokenClient(second.claimsIdentity));
});

test('clients of different app ids are never shared', async () => {
  const auth = new ReusingBotFrameworkAuthentication(real());
  const botA = new ClaimsIdentity([{ type: 'aud', value: 'app-a' }], true);
  const botB = new ClaimsIdentity([{ type: 'aud', value: 'app-b' }], true);
  const a = await auth.createConnectorFactory(botA).create('http://127.0.0.1:1', 'scope');
  const b = await auth.createConnectorFactory(botB).create('http://127.0.0.1:1', 'scope');
  expect(a).not.toBe(b);
});

test('authentication itself is delegated on every request: a rejected request stays rejected', async () => {
  const withAppId = new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' });
  const auth = new ReusingBotFrameworkAuthentication(withAppId);
  await expect(auth.authenticateRequest(activity('http://127.0.0.1:1'), '')).rejects.toThrow();
  await expect(auth.authenticateRequest(activity('http://127.0.0.1:1'), 'Bearer not-a-jwt')).rejects.toThrow();
});

/** A BotFrameworkAuthentication whose connector factory fails once, then works (fake: counts calls). */
class FlakyFactoryAuthenticationFake extends BotFrameworkAuthentication {
  made = 0;
  fail = true;
  private readonly inner = real();
  authenticateRequest = this.inner.authenticateRequest.bind(this.inner);
  authenticateStreamingRequest = this.inner.authenticateStreamingRequest.bind(this.inner);
  createUserTokenClient = this.inner.createUserTokenClient.bind(this.inner);
  createConnectorFactory(claims: ClaimsIdentity) {
    const factory = this.inner.createConnectorFactory(claims);
    return {
      create: async (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
        this.made++;
        if (this.fail) throw new Error('token endpoint unreachable');
        return factory.create(serviceUrl, audience);
      },
    } as ReturnType<BotFrameworkAuthentication['createConnectorFactory']>;
  }
}

test('a client that could not be made is not kept: the next turn tries again', async () => {
  const fake = new FlakyFactoryAuthenticationFake();
  const auth = new ReusingBotFrameworkAuthentication(fake);
  const claims = new ClaimsIdentity([], 'anonymous');
  await expect(auth.createConnectorFactory(claims).create('http://127.0.0.1:1', 'x')).rejects.toThrow('unreachable');
  fake.fail = false;
  const client = await auth.createConnectorFactory(claims).create('http://127.0.0.1:1', 'x');
  expect(baseUri(client)).toBe('http://127.0.0.1:1');
  expect(await auth.createConnectorFactory(claims).create('http://127.0.0.1:1', 'x')).toBe(client);
  expect(fake.made).toBe(2);
});

test('at most 100 clients are kept; the least recently used goes first', async () => {
  const auth = new ReusingBotFrameworkAuthentication(real());
  const factory = auth.createConnectorFactory(new ClaimsIdentity([], 'anonymous'));
  const first = await factory.create('http://127.0.0.1:0', 'x');
  const port1 = await factory.create('http://127.0.0.1:1', 'x');
  for (let port = 2; port <= 120; port++) {
    await factory.create(`http://127.0.0.1:${port}`, 'x');
    if (port % 10 === 0) expect(await factory.create('http://127.0.0.1:0', 'x')).toBe(first); // kept while in use
  }
  expect(auth.connectorClientCount).toBe(100);
  expect(await factory.create('http://127.0.0.1:1', 'x')).not.toBe(port1); // long unused: made anew
  expect(await factory.create('http://127.0.0.1:120', 'x')).toBe(await factory.create('http://127.0.0.1:120', 'x'));
  expect(auth.connectorClientCount).toBe(100);
});
