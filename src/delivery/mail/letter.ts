/**
 * The 'mail.letter' delivery: a letter an officer wrote (src/staff/letters) sent to the citizen by
 * e-mail, the letter's PDF attached, a short note in the letter's language as the mail's text.
 * The outbox row is written by the letter service in the same transaction as the letter (subject
 * { kind: 'letter', reference, letterId }); this plugin only sends it.
 *
 * Idempotent like the other mail plugins: the Message-ID is made once and saved in ctx.state before
 * the send, `sentAt` after it; a retry after a crash between the two sends the same message again with
 * the same Message-ID (mail clients show one), and a row whose state says sent is not sent again.
 * Errors stored for staff carry no personal data (no address, no text).
 */
import { randomUUID } from 'crypto';
import type { Locale } from '../../domain/routes';
import { translator } from '../../i18n';
import type { Municipality } from '../../municipality';
import type { LetterRepository } from '../../store/types';
import { PermanentDeliveryError, type DeliveryContext, type DeliveryPlugin } from '../types';

/** What the plugin needs of a mailer (src/delivery/mail/mailer.ts provides one over nodemailer). */
export interface LetterMailer {
  send(message: {
    to: string;
    subject: string;
    text: string;
    messageId: string;
    attachments: { filename: string; content: Buffer; contentType: string }[];
  }): Promise<unknown>;
}

export interface LetterMailDeps {
  letters: Pick<LetterRepository, 'get' | 'pdf'>;
  mailer: LetterMailer;
  municipality: Municipality;
  /** the domain of generated Message-IDs (default: the gemeente's website host) */
  messageIdDomain?: string;
  now?: () => Date;
}

export function createLetterMailPlugin(deps: LetterMailDeps): DeliveryPlugin {
  const domain = deps.messageIdDomain ?? new URL(deps.municipality.urls.website).hostname;
  const now = deps.now ?? (() => new Date());
  return {
    target: 'mail.letter',
    // letter rows are written by the letter service itself; filing never plans them
    wants: (subject) => subject.kind === 'letter',
    async deliver(ctx: DeliveryContext): Promise<void> {
      const subject = ctx.delivery.subject;
      if (subject.kind !== 'letter') throw new PermanentDeliveryError('mail.letter: not a letter');
      if (typeof ctx.state.sentAt === 'string') return; // sent before; the row's status lagged behind
      const letter = await deps.letters.get(subject.letterId);
      const pdf = letter ? await deps.letters.pdf(subject.letterId) : undefined;
      if (!letter || !pdf) throw new PermanentDeliveryError('mail.letter: the letter no longer exists');
      if (!letter.sentTo) throw new PermanentDeliveryError('mail.letter: the letter has no e-mail address');
      const locale: Locale = letter.locale === 'en' ? 'en' : 'nl';
      const t = translator(locale);
      const m = deps.municipality;
      const title = t(`letters.${letter.kind}.title`);
      let messageId = typeof ctx.state.messageId === 'string' ? ctx.state.messageId : undefined;
      if (!messageId) {
        messageId = `<letter-${letter.id}.${randomUUID()}@${domain}>`;
        await ctx.save({ messageId });
      }
      await deps.mailer.send({
        to: letter.sentTo,
        subject: t('letters.subject', { title, reference: letter.reference }),
        text: t('letters.mail.text', {
          reference: letter.reference,
          title,
          gemeente: m.name,
          phone: m.phone,
          hours: m.officeHours[locale],
          email: m.email,
        }),
        messageId,
        attachments: [{ filename: `${letter.reference}-${letter.kind}.pdf`, content: pdf, contentType: 'application/pdf' }],
      });
      await ctx.save({ messageId, sentAt: now().toISOString() });
    },
  };
}
