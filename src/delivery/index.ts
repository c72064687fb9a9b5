/**
 * Deliveries after filing (issue 13), put together from configuration: the enabled plugins
 * (pluginsFromConfig: mail when SMTP_URL is set, zgw when ZGW_ZAKEN_URL is set, klantinteracties when
 * KLANTINTERACTIES_URL is set; none by default), the registry that plans a new subject's outbox rows
 * (ComplaintStore asks it inside the filing transaction), the worker that sends them, and the daily
 * digest of failures.
 * Tests pass their own plugin list (`plugins`) instead of the configured ones.
 */
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Municipality } from '../municipality';
import type { DeliveryPlanner } from '../store/complaintStore';
import type { EnqueueDelivery, Store } from '../store/types';
import { createDeliveryDeps } from './deps';
import { DigestScheduler } from './digest';
import { createKlantinteractiesPlugin } from './klantinteracties';
import type { DeliveryDeps, DeliveryPlugin, DeliverySubject, DeliveryTarget } from './types';
import { createMailer, createMailPlugins } from './mail';
import { createLetterMailPlugin } from './mail/letter';
import { DeliveryWorker } from './worker';
import { createZgwPlugin } from './zgw';

/** The enabled plugins by target; plans which rows a newly filed subject gets. */
export class DeliveryRegistry implements DeliveryPlanner {
  private readonly byTarget = new Map<DeliveryTarget, DeliveryPlugin>();

  constructor(plugins: readonly DeliveryPlugin[]) {
    for (const p of plugins) {
      if (this.byTarget.has(p.target)) throw new Error(`delivery: two plugins for target ${p.target}`);
      this.byTarget.set(p.target, p);
    }
  }

  get plugins(): DeliveryPlugin[] {
    return [...this.byTarget.values()];
  }

  get targets(): DeliveryTarget[] {
    return [...this.byTarget.keys()];
  }

  has(target: DeliveryTarget): boolean {
    return this.byTarget.has(target);
  }

  plan(subject: DeliverySubject, facts: { email: string | null }): EnqueueDelivery[] {
    return this.plugins.filter((p) => p.wants(subject, facts)).map((p) => ({ subject, target: p.target }));
  }
}

/**
 * The plugins the configuration turns on (none by default): mail.citizen, mail.officers, mail.digest and
 * mail.letter with SMTP_URL (one mailer), zgw with ZGW_ZAKEN_URL, klantinteracties with KLANTINTERACTIES_URL.
 */
export function pluginsFromConfig(config: Config, store: Pick<Store, 'letters'>, municipality: Municipality): DeliveryPlugin[] {
  const plugins: DeliveryPlugin[] = [];
  const mailer = createMailer(config);
  if (mailer) plugins.push(...createMailPlugins(config, mailer), createLetterMailPlugin({ letters: store.letters, mailer, municipality }));
  if (config.ZGW_ZAKEN_URL) plugins.push(createZgwPlugin(config));
  if (config.KLANTINTERACTIES_URL) plugins.push(createKlantinteractiesPlugin(config));
  return plugins;
}

export interface DeliveryOptions {
  store: Store;
  config: Config;
  municipality: Municipality;
  log: Logger;
  clock?: () => Date;
  /** instead of the configured plugins (tests) */
  plugins?: DeliveryPlugin[];
  /** the worker's poll interval (default 30 s) */
  pollMs?: number;
}

export interface DeliveryService {
  registry: DeliveryRegistry;
  deps: DeliveryDeps;
  worker: DeliveryWorker;
  digest: DigestScheduler;
  start(): void;
  stop(): Promise<void>;
}

export async function createDelivery(opts: DeliveryOptions): Promise<DeliveryService> {
  const { store, config } = opts;
  const deps = createDeliveryDeps(store, opts.municipality, { staffPublicUrl: config.STAFF_PUBLIC_URL, clock: opts.clock });
  const registry = new DeliveryRegistry(opts.plugins ?? pluginsFromConfig(config, store, opts.municipality));
  const worker = new DeliveryWorker({
    store,
    plugins: registry.plugins,
    deps,
    log: opts.log,
    clock: opts.clock,
    timeoutMs: config.DELIVERY_TIMEOUT_MS,
    retryMinutes: config.DELIVERY_RETRY_MINUTES,
    retryHours: config.DELIVERY_RETRY_HOURS,
    pollMs: opts.pollMs,
  });
  const digest = new DigestScheduler({ store, hour: config.DIGEST_HOUR, enabled: registry.has('mail.digest'), log: opts.log, clock: opts.clock });
  if (registry.targets.length > 0) {
    opts.log.info({ event: 'delivery.plugins', targets: registry.targets }, 'delivery plugins enabled');
  }
  return {
    registry,
    deps,
    worker,
    digest,
    start: () => {
      worker.start();
      digest.start();
    },
    stop: async () => {
      await digest.stop();
      await worker.stop();
    },
  };
}
