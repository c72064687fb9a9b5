/**
 * Runs the real bot (real SQLite file through the store layer, real ConversationState over StateStorage, real dialogs)
 * behind botbuilder's TestAdapter, and collects the bot's replies per turn.
 */
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { ActivityTypes, ConversationState, TestAdapter, type Activity } from 'botbuilder';
import { ComplaintBot } from '../../src/bot/complaintBot';
import { DedupeMiddleware } from '../../src/bot/dedupe';
import { StateStorage } from '../../src/bot/stateStorage';
import type { RouteClassifier } from '../../src/domain/routes';
import { createLogger } from '../../src/logger';
import { loadMunicipality } from '../../src/municipality';
import { openStore } from '../../src/store';
import { ComplaintStore } from '../../src/store/complaintStore';
import type { Db } from '../../src/store/sqlite/db';
import type { Store } from '../../src/store/types';
import { sqliteDb } from './sqlite';
import { createUnderstander } from '../../src/understanding';
import type { Understander } from '../../src/understanding/types';

/** Tuesday 24 November 2026, 10:00 in Amsterdam. */
export const NOW = new Date('2026-11-24T09:00:00Z');

export function tempDbFile(): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klachtbot-'));
  return { file: path.join(dir, 'test.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface HarnessOptions {
  file: string;
  locale?: string;
  channelId?: string;
  conversationId?: string;
  classifier?: RouteClassifier;
  /** default: the product's understanding step, with the classifier above (none: the route buttons) */
  understander?: Understander;
  clock?: () => Date;
}

export class Harness {
  adapter!: TestAdapter;
  store!: Store;
  /** the SQLite connection behind the store (fault injection, inspection) */
  db!: Db;
  complaints!: ComplaintStore;
  bot!: ComplaintBot;

  static async open(opts: HarnessOptions): Promise<Harness> {
    const h = new Harness();
    h.store = await openStore(`sqlite:${opts.file}`, { clock: opts.clock ?? (() => NOW) });
    h.db = sqliteDb(h.store);
    h.complaints = new ComplaintStore(h.store);
    const storage = new StateStorage(h.store.conversationState);
    const dedupe = new DedupeMiddleware(h.store.dedupe, h.store.coordination.owner);
    h.bot = new ComplaintBot({
      conversationState: new ConversationState(storage),
      filer: h.complaints,
      municipality: loadMunicipality(),
      classifier: opts.classifier,
      understander: opts.understander ?? (await createUnderstander({ classifier: opts.classifier ?? null })),
      log: createLogger('silent'),
      clock: opts.clock ?? (() => NOW),
    });
    h.adapter = new TestAdapter(async (context) => h.bot.run(context), {
      channelId: opts.channelId ?? 'test',
      locale: opts.locale ?? 'nl-NL',
      conversation: { id: opts.conversationId ?? 'conv-1' },
    } as Partial<Activity>);
    h.adapter.use(dedupe);
    return h;
  }

  /** Sends a message (or an activity) and returns the texts the bot answered in that turn. */
  async say(input: string | Partial<Activity>): Promise<string[]> {
    return (await this.sayActivities(input)).map(textOf);
  }

  async sayActivities(input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
    // Real channels give every activity a unique id; TestAdapter would count from 0 again after a restart.
    const activity = typeof input === 'string' ? { type: ActivityTypes.Message, text: input } : input;
    await this.adapter.send({ id: randomUUID(), ...activity }).startTest();
    return this.adapter.activeQueue.splice(0);
  }

  async join(): Promise<string[]> {
    return this.say({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: 'user', name: 'User' }] });
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** The visible text of a reply: its text, or a hero card's text. */
export function textOf(a: Partial<Activity>): string {
  if (a.text) return a.text;
  const card = a.attachments?.[0]?.content as { text?: string } | undefined;
  return card?.text ?? '';
}

export function buttonsOf(a: Partial<Activity>): string[] {
  if (a.suggestedActions) return a.suggestedActions.actions.map((x) => String(x.title));
  const card = a.attachments?.[0]?.content as { buttons?: { title: string }[] } | undefined;
  return card?.buttons?.map((b) => b.title) ?? [];
}

export const last = (texts: string[]) => texts[texts.length - 1] ?? '';

/**
 * For a test file: a fresh harness on a new SQLite file before each test, already joined (welcome
 * sent), closed and removed after. Returns a getter for the current harness.
 */
export function harnessPerTest(): () => Harness {
  let db: ReturnType<typeof tempDbFile>;
  let h: Harness;
  beforeEach(async () => {
    db = tempDbFile();
    h = await Harness.open({ file: db.file });
    await h.join();
  });
  afterEach(async () => {
    await h.close();
    db.cleanup();
  });
  return () => h;
}
