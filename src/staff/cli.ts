/**
 * Command line for staff and operators: `npm run --silent staff -- <command>` (see src/staff/README.md).
 * Works on the database of DATABASE_URL (also while the bot runs). Every read and change is audited as
 * `cli:<os user>`.
 */
import 'dotenv/config';
import { userInfo } from 'os';
import { parseArgs, type ParseArgsConfig } from 'util';
import type { Activity } from 'botbuilder';
import { BotTranscriptStore, toEmulatorTranscript } from '../bot/transcriptStore';
import { ConfigError, loadConfig } from '../config';
import { addressLine, STATUSES } from '../domain/complaint';
import { ROUTES } from '../domain/routes';
import { createLogger } from '../logger';
import { openStore } from '../store';
import type { Store } from '../store/types';
import type { Actor } from './audit';
import { newApiToken } from './auth';
import { createStaff, type Staff } from './index';
import type { ComplaintDetail, ComplaintSummary } from './schemas';
import { isReference, StaffError } from './service';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
  /** who runs it (default: the operating-system user) */
  user?: string;
}

export const USAGE = `Usage: npm run --silent staff -- <command>

  list [--status S] [--route R] [--overdue] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
       [--search TEXT] [--limit N] [--cursor C] [--json]
                             complaints, newest first (status: ${STATUSES.join('|')})
  show <reference> [--json]  one complaint: fields, deadlines, history and transcript
  transcript <reference>     the conversation as a Bot Framework Emulator .transcript (JSON) on stdout
  purge --dry-run|--yes [--json]
                             delete what is past retention (--dry-run: only report)
  audit [--reference R] [--actor A] [--limit N] [--json]
                             the audit log, newest first
  token <name>               a new API token, and its STAFF_API_TOKENS entry (name:sha256)

Exit status: 0 done, 1 not found or failed, 2 wrong use. --json output is documented in src/staff/README.md.`;

class UsageError extends Error {}

async function openStaff(env: NodeJS.ProcessEnv, clock?: () => Date): Promise<{ store: Store; staff: Staff }> {
  const config = loadConfig(env);
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, process.stderr as never);
  const store = await openStore(config.DATABASE_URL, { clock, log });
  const transcripts = new BotTranscriptStore(store.transcripts, { log });
  const staff = await createStaff(store, transcripts, config, { clock }); // no log: the API's warnings are not the CLI's
  return { store, staff };
}

const STATUS_NL: Record<string, string> = { received: 'ontvangen', informal: 'informeel', formal: 'formeel', resolved: 'afgehandeld' };

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function listLine(c: ComplaintSummary): string {
  const late = c.deadlines.overdue ? ' TE LAAT' : '';
  return [c.reference, c.createdAt.slice(0, 10), STATUS_NL[c.status].padEnd(11), c.route.padEnd(13), oneLine(c.contact.name, 24).padEnd(24), `${oneLine(c.excerpt, 60)}${late}`].join('  ');
}

function transcriptLines(activities: ComplaintDetail['transcript']): string[] {
  return activities.map((a) => {
    const who = a.from?.role === 'user' ? 'Inwoner' : 'Bot';
    const text = typeof a.text === 'string' ? a.text : `[${a.type}]`;
    return `  ${a.timestamp}  ${who}: ${text.replace(/\n/g, '\n      ')}`;
  });
}

function detailText(c: ComplaintDetail): string {
  const d = c.deadlines;
  const lines = [
    `Klacht ${c.reference} (${STATUS_NL[c.status]})`,
    `  ontvangen:        ${c.createdAt}`,
    `  contact uiterlijk: ${d.contactBy}${d.contactOverdue ? ' VERSTREKEN' : ''}`,
    `  besluit uiterlijk: ${d.decisionDue}${d.extended ? ' (verdaagd)' : ''}${d.decisionOverdue ? ' VERSTREKEN' : ''}`,
    `  soort:            ${c.route}`,
    `  verhaal:          ${c.story}`,
    `  wanneer:          ${c.incidentDate ?? (c.incidentDateFrom ? `${c.incidentDateFrom} t/m ${c.incidentDateTo}` : '')} ${c.incidentDateText}`.trimEnd(),
    `  waar:             ${c.placeKind ?? ''} ${c.place}`.trimEnd(),
    `  over wie:         ${c.personKind ?? ''} ${c.person ?? ''}`.trimEnd(),
    `  oplossing:        ${c.solution ?? ''}`,
    `  naam:             ${c.contact.name}`,
    `  telefoon:         ${c.contact.phone ?? ''}`,
    `  adres:            ${addressLine(c.contact)}`,
    `  e-mail:           ${c.contact.email ?? ''}`,
    `  terugbellen:      ${c.callback ? `${c.callback.date} ${c.callback.partOfDay}` : ''}`,
    `  kanaal:           ${c.channel} (${c.locale})`,
    'Geschiedenis:',
    ...(c.history.length
      ? c.history.map((h) => `  ${h.at}  ${h.actor}  ${h.kind === 'extension' ? 'termijn verdaagd' : `${h.from} -> ${h.to}`}: ${h.note}`)
      : ['  (geen)']),
    'Gesprek:',
    ...(c.transcript.length ? transcriptLines(c.transcript) : ['  (niet opgeslagen)']),
  ];
  return lines.join('\n');
}

/** Runs one command; returns the exit status. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'token') {
    const name = rest[0];
    if (!name || !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
      io.err('token <name>: a name of letters, digits, dot, dash or underscore');
      return 2;
    }
    const { token, entry } = newApiToken(name);
    io.out(`token (give it to the user once; it is not stored): ${token}\nSTAFF_API_TOKENS entry: ${entry}`);
    return 0;
  }
  const actor: Actor = { id: `cli:${io.user ?? safeUser()}`, via: 'cli' };
  let opened: { store: Store; staff: Staff } | undefined;
  try {
    const { values, positionals } = parseCommand(command, rest);
    opened = await openStaff(env, io.clock);
    const { staff } = opened;
    const json = Boolean(values.json);
    switch (command) {
      case 'list': {
        const status = values.status as string | undefined;
        if (status && !(STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status: one of ${STATUSES.join(', ')}`);
        const route = values.route as string | undefined;
        if (route && !(ROUTES as readonly string[]).includes(route)) throw new UsageError(`--route: one of ${ROUTES.join(', ')}`);
        const limit = values.limit === undefined ? 50 : Number(values.limit);
        const result = await staff.service.list(actor, {
          status: status as never,
          route: route as never,
          overdue: values.overdue ? true : undefined,
          from: values.from as string | undefined,
          to: values.to as string | undefined,
          q: values.search as string | undefined,
          limit,
          cursor: values.cursor as string | undefined,
        });
        if (json) io.out(JSON.stringify(result, null, 2));
        else {
          io.out(result.items.length ? result.items.map(listLine).join('\n') : 'Geen klachten gevonden.');
          if (result.nextCursor) io.out(`(meer: --cursor ${result.nextCursor})`);
        }
        return 0;
      }
      case 'show': {
        const ref = referenceArg(positionals);
        const detail = await staff.service.get(actor, ref);
        io.out(json ? JSON.stringify(detail, null, 2) : detailText(detail));
        return 0;
      }
      case 'transcript': {
        const ref = referenceArg(positionals);
        const activities: Activity[] = await staff.service.transcript(actor, ref);
        io.out(toEmulatorTranscript(activities).trimEnd());
        return 0;
      }
      case 'purge': {
        if (Boolean(values['dry-run']) === Boolean(values.yes)) throw new UsageError('purge needs exactly one of --dry-run or --yes');
        const report = await staff.retention.purge(actor, { dryRun: Boolean(values['dry-run']) });
        if (json) io.out(JSON.stringify(report, null, 2));
        else {
          const verb = report.dryRun ? 'would delete' : 'deleted';
          io.out(
            [
              `Retention: complaints ${staff.retention.policy.resolvedYears} years after resolved, other conversations ${staff.retention.policy.abandonedDays} days after the last activity.`,
              `${verb} ${report.complaints.length} complaint(s)${report.complaints.length ? ':' : ''}`,
              ...report.complaints.map((c) => `  ${c.reference} (resolved ${c.resolvedAt.slice(0, 10)})`),
              `${verb} ${report.conversations} conversation(s) without a complaint and ${report.callbacks} other call-back request(s)`,
            ].join('\n'),
          );
        }
        return 0;
      }
      case 'audit': {
        const result = await staff.audit.list({
          reference: (values.reference as string | undefined)?.toUpperCase(),
          actor: values.actor as string | undefined,
          limit: values.limit === undefined ? 50 : Number(values.limit),
        });
        await staff.audit.record(actor, { action: 'audit.list', detail: { count: result.items.length } });
        if (json) io.out(JSON.stringify(result, null, 2));
        else io.out(result.items.map((e) => `${e.at}  ${e.actor}  ${e.action}  ${e.references.join(',')}`).join('\n') || '(leeg)');
        return 0;
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(err.message);
      return 2;
    }
    if (err instanceof StaffError) {
      io.err(`${err.code}: ${err.message}`);
      return err.status === 400 ? 2 : 1;
    }
    io.err(`failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await opened?.store.close();
  }
}

function parseCommand(command: string, args: string[]) {
  const common = { json: { type: 'boolean' as const } };
  const byCommand: Record<string, ParseArgsConfig['options']> = {
    list: {
      ...common,
      status: { type: 'string' },
      route: { type: 'string' },
      overdue: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      search: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    },
    show: common,
    transcript: {},
    purge: { ...common, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' } },
    audit: { ...common, reference: { type: 'string' }, actor: { type: 'string' }, limit: { type: 'string' } },
  };
  const options = byCommand[command];
  if (!options) throw new UsageError(`unknown command: ${command}`);
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

function referenceArg(positionals: string[]): string {
  const ref = (positionals[0] ?? '').toUpperCase();
  if (positionals.length !== 1 || !isReference(ref)) throw new UsageError('give one complaint reference, like KL-2026-ABC234');
  return ref;
}

function safeUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return process.env.USER || 'unknown';
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`failed: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
