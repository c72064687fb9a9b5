/**
 * The mail delivery plugins (issue 13): mail.citizen (confirmation of receipt with the complaint PDF),
 * mail.officers (a new complaint or call-back, no personal data unless turned on), mail.digest (the
 * daily summary of failed deliveries). mail.letter lives in ./letter.ts.
 *
 * Exactly once, as far as SMTP allows. Each delivery row gets a deterministic Message-ID
 * (`<target.rowId.reference@MAIL_FROM-domain>`), saved in ctx.state before the first send; right after
 * the server's 250 to DATA the plugin saves `{ messageId, sentAt }`. A retry whose state has `sentAt`
 * sends nothing. A 4xx, a lost connection or a time-out before the 250 means the server did not take
 * the message, so sending again is right.
 *
 * The residual window: a crash (or a failing store) AFTER the server's 250 and BEFORE `sentAt` is saved
 * makes the retry send the message a second time. SMTP has no way to ask a server whether it already
 * has a message. The second copy has the same Message-ID, which most mail systems and clients use to
 * show it once; the window is the few milliseconds of one database write.
 */
import type { Config } from '../../config';
import type { Complaint } from '../../domain/complaint';
import { renderPdf } from '../background/thread';
import { PermanentDeliveryError, type DeliveryContext, type DeliveryPlugin, type DeliverySubject, type DeliveryTarget } from '../types';
import type { Mailer, MailMessage } from './mailer';
import { citizenAttachmentName, citizenMail, digestMail, officersCallbackMail, officersComplaintMail } from './templates';

export interface MailPluginSettings {
  /** MAIL_OFFICERS_TO: addresses, comma separated; default the complaints address in the municipality file */
  officersTo?: string;
  /** MAIL_OFFICERS_PERSONAL_DATA */
  officersPersonalData: boolean;
}

/** The Message-ID of a delivery row: the same for every attempt, unique per row. */
export function messageIdFor(target: DeliveryTarget, id: number, subject: DeliverySubject, domain: string): string {
  const key = (subject.kind === 'digest' ? subject.day : subject.reference).replace(/[^A-Za-z0-9-]/g, '');
  return `<${target}.${id}.${key}@${domain}>`;
}

/** Officers' recipients: MAIL_OFFICERS_TO, else the municipality's complaints address. */
export function officersRecipients(settings: MailPluginSettings, municipalityEmail: string): string[] {
  const list = (settings.officersTo ?? '')
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list : [municipalityEmail];
}

/**
 * Sends once per row: skips when `sentAt` is saved, saves the Message-ID before and `sentAt` right after
 * the server accepted the message. See the file comment for the window that remains.
 */
export async function sendOnce(ctx: DeliveryContext, mailer: Mailer, build: () => Promise<Omit<MailMessage, 'messageId' | 'signal'> | null>): Promise<void> {
  if (typeof ctx.state.sentAt === 'string') return; // sent on an earlier attempt; nothing to do
  const d = ctx.delivery;
  const messageId = typeof ctx.state.messageId === 'string' ? ctx.state.messageId : messageIdFor(d.target, d.id, d.subject, mailer.domain);
  const message = await build();
  if (!message) return; // nothing to send (an empty digest)
  if (ctx.state.messageId !== messageId) await ctx.save({ messageId });
  await mailer.send({ ...message, messageId, signal: ctx.signal });
  // ---- the server said 250: from here to the end of this save is the residual window (file comment)
  await ctx.save({ messageId, sentAt: ctx.deps.now().toISOString() });
}

const AUTO = { 'Auto-Submitted': 'auto-generated' };
const AUTO_INTERNAL = { ...AUTO, 'X-Auto-Response-Suppress': 'All' };

/**
 * When the gemeente received the complaint: a complaint entered by staff from a letter may be older than
 * its row. Read through an optional DeliveryDeps.receivedAt (src/delivery/deps.ts); without it, createdAt.
 */
async function receivedAtOf(ctx: DeliveryContext, complaint: Complaint): Promise<string> {
  const deps = ctx.deps as DeliveryContext['deps'] & { receivedAt?: (reference: string) => Promise<string | undefined> };
  return (await deps.receivedAt?.(complaint.reference)) ?? complaint.createdAt;
}

async function complaintOf(ctx: DeliveryContext): Promise<Complaint> {
  const subject = ctx.delivery.subject;
  if (subject.kind !== 'complaint') throw new PermanentDeliveryError(`${ctx.delivery.target}: not a complaint`);
  const complaint = await ctx.deps.complaint(subject.reference);
  if (!complaint) throw new PermanentDeliveryError(`${ctx.delivery.target}: the complaint no longer exists`);
  return complaint;
}

export function createCitizenMailPlugin(mailer: Mailer): DeliveryPlugin {
  return {
    target: 'mail.citizen',
    wants: (subject, facts) => subject.kind === 'complaint' && Boolean(facts.email),
    deliver: (ctx) =>
      sendOnce(ctx, mailer, async () => {
        const complaint = await complaintOf(ctx);
        const to = complaint.contact.email;
        if (!to) throw new PermanentDeliveryError('mail.citizen: the complaint has no e-mail address');
        const m = ctx.deps.municipality;
        const receivedAt = await receivedAtOf(ctx, complaint);
        const mail = citizenMail(complaint, m, complaint.locale, receivedAt);
        const pdf = await renderPdf({ kind: 'complaint', complaint, municipality: m, locale: complaint.locale, receivedAt });
        return {
          to,
          replyTo: m.email,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: { ...AUTO, 'Content-Language': complaint.locale },
          attachments: [{ filename: citizenAttachmentName(complaint), content: pdf, contentType: 'application/pdf' }],
        };
      }),
  };
}

/** The staff page's call-backs view, from the link of a complaint (STAFF_PUBLIC_URL + /staff/#/callbacks). */
function callbacksLink(staffLink: (ref: string) => string): string {
  return staffLink('X').replace(/#\/complaints\/X$/, '#/callbacks');
}

export function createOfficersMailPlugin(mailer: Mailer, settings: MailPluginSettings): DeliveryPlugin {
  return {
    target: 'mail.officers',
    wants: (subject) => subject.kind === 'complaint' || subject.kind === 'callback',
    deliver: (ctx) =>
      sendOnce(ctx, mailer, async () => {
        const subject = ctx.delivery.subject;
        const m = ctx.deps.municipality;
        const to = officersRecipients(settings, m.email);
        let mail;
        if (subject.kind === 'complaint') {
          const complaint = await complaintOf(ctx);
          mail = officersComplaintMail(complaint, {
            personalData: settings.officersPersonalData,
            staffLink: ctx.deps.staffLink(complaint.reference),
            receivedAt: await receivedAtOf(ctx, complaint),
          });
        } else if (subject.kind === 'callback') {
          const callback = await ctx.deps.callback(subject.id);
          if (!callback) throw new PermanentDeliveryError('mail.officers: the call-back request no longer exists');
          const link = callback.complaintReference ? ctx.deps.staffLink(callback.complaintReference) : callbacksLink(ctx.deps.staffLink);
          mail = officersCallbackMail(callback, { personalData: settings.officersPersonalData, staffLink: link });
        } else {
          throw new PermanentDeliveryError(`mail.officers: not for a ${subject.kind}`);
        }
        return { to, subject: mail.subject, text: mail.text, html: mail.html, headers: AUTO_INTERNAL };
      }),
  };
}

export function createDigestMailPlugin(mailer: Mailer, settings: MailPluginSettings): DeliveryPlugin {
  return {
    target: 'mail.digest',
    wants: (subject) => subject.kind === 'digest',
    deliver: (ctx) =>
      sendOnce(ctx, mailer, async () => {
        const subject = ctx.delivery.subject;
        if (subject.kind !== 'digest') throw new PermanentDeliveryError('mail.digest: not a digest');
        const since = new Date(ctx.deps.now().getTime() - 24 * 3_600_000).toISOString();
        // the digest's own earlier rows are not news
        const failed = (await ctx.deps.failedSince(since)).filter((d) => d.target !== 'mail.digest');
        if (failed.length === 0) return null;
        const mail = digestMail(failed, {
          day: subject.day,
          linkFor: (d) => (d.subject.kind === 'complaint' || d.subject.kind === 'letter' ? ctx.deps.staffLink(d.subject.reference) : undefined),
          allLink: ctx.deps.staffLink('X').replace(/#\/complaints\/X$/, '#/deliveries'),
        });
        return { to: officersRecipients(settings, ctx.deps.municipality.email), subject: mail.subject, text: mail.text, html: mail.html, headers: AUTO_INTERNAL };
      }),
  };
}

/** The mail settings of the application's Config. */
export function mailSettings(config: Pick<Config, 'MAIL_OFFICERS_TO' | 'MAIL_OFFICERS_PERSONAL_DATA'>): MailPluginSettings {
  return { officersTo: config.MAIL_OFFICERS_TO, officersPersonalData: config.MAIL_OFFICERS_PERSONAL_DATA };
}
