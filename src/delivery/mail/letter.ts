/**
 * The 'mail.letter' delivery: a letter an officer wrote (src/staff/letters) sent to the citizen by
 * e-mail, the letter's PDF attached, a short note in the letter's language as the mail's text.
 * The outbox row is written by the letter service in the same transaction as the letter (subject
 * { kind: 'letter', reference, letterId }); this plugin only sends it.
 *
 * Exactly once as the other mail plugins (sendOnce in ./plugins.ts): the deterministic Message-ID is
 * saved in ctx.state before the send and `sentAt` right after the server's 250; a retry whose state has
 * `sentAt` sends nothing, one after a crash before the 250 sends the same message (same Message-ID).
 * Errors stored for staff carry no personal data (no address, no text).
 */
import type { Config } from '../../config';
import type { Locale } from '../../domain/routes';
import { translator } from '../../i18n';
import type { Municipality } from '../../municipality';
import type { LetterRepository } from '../../store/types';
import { PermanentDeliveryError, type DeliveryContext, type DeliveryPlugin } from '../types';
import { createMailer, type Mailer } from './mailer';
import { sendOnce } from './plugins';

export interface LetterMailDeps {
  letters: Pick<LetterRepository, 'get' | 'pdf'>;
  mailer: Mailer;
  municipality: Municipality;
}

export function createLetterMailPlugin(deps: LetterMailDeps): DeliveryPlugin {
  return {
    target: 'mail.letter',
    // letter rows are written by the letter service itself; filing never plans them
    wants: (subject) => subject.kind === 'letter',
    deliver: (ctx: DeliveryContext) =>
      sendOnce(ctx, deps.mailer, async () => {
        const subject = ctx.delivery.subject;
        if (subject.kind !== 'letter') throw new PermanentDeliveryError('mail.letter: not a letter');
        const letter = await deps.letters.get(subject.letterId);
        const pdf = letter ? await deps.letters.pdf(subject.letterId) : undefined;
        if (!letter || !pdf) throw new PermanentDeliveryError('mail.letter: the letter no longer exists');
        if (!letter.sentTo) throw new PermanentDeliveryError('mail.letter: the letter has no e-mail address');
        const locale: Locale = letter.locale === 'en' ? 'en' : 'nl';
        const t = translator(locale);
        const m = deps.municipality;
        const title = t(`letters.${letter.kind}.title`);
        return {
          to: letter.sentTo,
          subject: t('letters.subject', { title, reference: letter.reference }),
          text: t('letters.mail.text', { reference: letter.reference, title, gemeente: m.name, phone: m.phone, hours: m.officeHours[locale], email: m.email }),
          attachments: [{ filename: `${letter.reference}-${letter.kind}.pdf`, content: pdf, contentType: 'application/pdf' }],
          headers: { 'Auto-Submitted': 'auto-generated' },
        };
      }),
  };
}

/** The plugin as the configuration turns it on: with SMTP_URL (and MAIL_FROM), else none. */
export function letterMailPlugins(config: Config, letters: LetterMailDeps['letters'], municipality: Municipality): DeliveryPlugin[] {
  const mailer = createMailer(config);
  return mailer ? [createLetterMailPlugin({ letters, mailer, municipality })] : [];
}
