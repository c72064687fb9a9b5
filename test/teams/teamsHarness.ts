/**
 * The real bot behind TestAdapter, fed Teams activities: channelId 'msteams', Teams channelData with
 * the tenant, conversation.conversationType 'personal' | 'groupChat' | 'channel', Teams-style ids.
 *
 * For TeamsInfo.getMember the bot's real code runs: a middleware puts a real ConnectorClient in the
 * turn state exactly as CloudAdapter does (ConfigurationBotFrameworkAuthentication without an app id,
 * its connector factory, the activity's serviceUrl), and the serviceUrl points at TeamsService, a
 * local HTTP listener that plays the Teams connector service for
 * GET /v3/conversations/{conversationId}/members/{userId}. Only that Teams endpoint is stood in for.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import {
  ActivityTypes,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TeamsChannelAccount,
} from 'botbuilder';
import { Harness } from '../helpers/harness';

export const TENANT_ID = '9f8e7d6c-5b4a-4321-8fed-cba987654321';
export const BOT_APP_ID = '0b7c3f5e-2d1a-4e8b-9c6d-5a4f3e2d1c0b';
export const BOT = { id: `28:${BOT_APP_ID}`, name: 'Klachtbot' };
export const USER = { id: '29:1JdV-rX8tQ2pLm7NkzYw', name: 'Jan de Vries', aadObjectId: 'a1b2c3d4-0000-4000-8000-00000000beef' };

/** A member as the Teams roster returns it. */
export const JAN: TeamsChannelAccount = {
  id: USER.id,
  name: 'Jan de Vries',
  givenName: 'Jan',
  surname: 'de Vries',
  email: 'jan.devries@example.nl',
  userPrincipalName: 'jdv@contoso.onmicrosoft.com',
  aadObjectId: USER.aadObjectId,
  tenantId: TENANT_ID,
  userRole: 'user',
} as TeamsChannelAccount;

export type ConversationType = 'personal' | 'groupChat' | 'channel';

/** The Teams connector service's roster endpoint on loopback. */
export class TeamsService {
  readonly members = new Map<string, TeamsChannelAccount>();
  /** every request as "METHOD path" */
  readonly requests: string[] = [];
  /** when set, every roster request gets this status (e.g. 403 as for a bot the tenant blocks) */
  failWith?: { status: number; code: string };
  private server?: http.Server;
  serviceUrl = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.requests.push(`${req.method} ${req.url}`);
      const m = /^\/v3\/conversations\/([^/]+)\/members\/([^/?]+)$/.exec(req.url ?? '');
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'GET' || !m) return reply(404, { error: { code: 'NotFound', message: 'no such endpoint' } });
      if (this.failWith) return reply(this.failWith.status, { error: { code: this.failWith.code, message: 'refused' } });
      const member = this.members.get(decodeURIComponent(m[2]));
      if (!member) return reply(404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found.' } });
      reply(200, member);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  /** The roster lookups the bot made. */
  memberLookups(): string[] {
    return this.requests.filter((r) => r.includes('/members/'));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface TeamsHarnessOptions {
  file: string;
  serviceUrl: string;
  conversationType?: ConversationType;
  conversationId?: string;
  locale?: string;
}

/** Opens the shared harness on 'msteams' and makes every activity look like Teams sends it. */
export async function openTeams(opts: TeamsHarnessOptions): Promise<Harness> {
  const type = opts.conversationType ?? 'personal';
  const conversationId =
    opts.conversationId ??
    (type === 'personal' ? `a:1personal-${Math.random().toString(36).slice(2)}` : `19:group-${Math.random().toString(36).slice(2)}@thread.v2`);
  const h = await Harness.open({ file: opts.file, channelId: 'msteams', locale: opts.locale ?? 'nl-NL', conversationId });
  const channelData: Record<string, unknown> = { tenant: { id: TENANT_ID } };
  if (type === 'channel') {
    channelData.team = { id: '19:team-general@thread.tacv2', name: 'Wijkteam' };
    channelData.channel = { id: '19:team-general@thread.tacv2', name: 'General' };
  }
  // TestAdapter copies its template over every incoming activity
  Object.assign(h.adapter.template, {
    serviceUrl: opts.serviceUrl,
    from: USER,
    recipient: BOT,
    conversation: { id: conversationId, conversationType: type, tenantId: TENANT_ID, isGroup: type !== 'personal' },
    channelData,
  });
  // as CloudAdapter.processActivity does: a connector client for the activity's serviceUrl in the turn state
  const auth = new ConfigurationBotFrameworkAuthentication({} as ConfigurationBotFrameworkAuthenticationOptions);
  h.adapter.use(async (context, next) => {
    const result = await auth.authenticateRequest(context.activity as Activity, '');
    const client = await result.connectorFactory!.create(context.activity.serviceUrl!, result.audience);
    context.turnState.set(context.adapter.ConnectorClientKey, client);
    await next();
  });
  return h;
}

/** Teams installs a personal app with a conversationUpdate whose membersAdded is the bot itself. */
export function install(h: Harness, members = [BOT]) {
  return h.sayActivities({ type: ActivityTypes.ConversationUpdate, membersAdded: members });
}

/** The citizen's answers from the story up to the contact details (the call-back offer declined). */
export const TO_CONTACT = [
  'Ik heb drie keer gebeld over mijn paspoort en niemand belde terug, de medewerker aan de telefoon was ook erg onvriendelijk',
  'Hoe ik behandeld ben',
  'vorige week dinsdag',
  'Overslaan',
  'Nee, ga verder',
];

/** Sends each text as its own turn; returns every reply. */
export async function sayAll(h: Harness, texts: string[]): Promise<Partial<Activity>[]> {
  const replies: Partial<Activity>[] = [];
  for (const t of texts) replies.push(...(await h.sayActivities(t)));
  return replies;
}

interface CardContent {
  text?: string;
  version?: string;
  buttons?: { type: string; title: string; value: string }[];
}

/** Every button of a reply: suggested actions and the buttons of all its hero cards. */
export function allButtons(a: Partial<Activity>): { type: string; title: string; value: string }[] {
  const out = (a.suggestedActions?.actions ?? []).map((x) => ({ type: String(x.type), title: String(x.title), value: String(x.value) }));
  for (const att of a.attachments ?? []) out.push(...((att.content as CardContent | undefined)?.buttons ?? []));
  return out;
}

export const titles = (a: Partial<Activity>) => allButtons(a).map((b) => b.title);

/**
 * What Teams would not show: more than 3 suggested actions, more than 6 buttons on a hero card,
 * Markdown in hero card text (Teams renders only HTML there), Adaptive Cards above schema 1.5,
 * button types Teams does not support.
 */
export function teamsRenderProblems(replies: Partial<Activity>[]): string[] {
  const problems: string[] = [];
  replies.forEach((a, i) => {
    const where = `reply ${i} (${(a.text ?? '').slice(0, 40)})`;
    if ((a.suggestedActions?.actions.length ?? 0) > 3) problems.push(`${where}: ${a.suggestedActions!.actions.length} suggested actions`);
    for (const att of a.attachments ?? []) {
      const c = att.content as CardContent;
      if (att.contentType === 'application/vnd.microsoft.card.hero') {
        if ((c.buttons?.length ?? 0) > 6) problems.push(`${where}: hero card with ${c.buttons!.length} buttons`);
        if (c.text && /\*\*|^\d+\. /m.test(c.text)) problems.push(`${where}: Markdown in hero card text`);
      } else if (att.contentType === 'application/vnd.microsoft.card.adaptive') {
        if (Number(c.version) > 1.5) problems.push(`${where}: Adaptive Card ${c.version}`);
      } else problems.push(`${where}: attachment ${att.contentType}`);
    }
    for (const b of allButtons(a)) if (!['imBack', 'openUrl'].includes(b.type)) problems.push(`${where}: button type ${b.type}`);
  });
  return problems;
}
