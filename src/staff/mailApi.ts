/**
 * Mail templates on the staff page (issue 13): which e-mails the bot sends, and each one rendered with
 * a made-up example (src/delivery/pdf/exampleComplaint.ts: no real person), so officers can read what
 * citizens and colleagues receive. The officers' alert is shown as configured (with personal data only
 * when MAIL_OFFICERS_PERSONAL_DATA=true).
 *
 *   GET /staff/api/mail/templates            → [{ id, description }]
 *   GET /staff/api/mail/preview/:id?locale=  → { subject, text, html, attachments: [{ filename, contentType }] }
 *
 * Nothing here reads complaints, so nothing is audited.
 */
import type restify from 'restify';
import { loadConfig, type Config } from '../config';
import { staffLinkFor } from '../delivery/deps';
import { citizenAttachmentName, citizenMail, digestMail, officersCallbackMail, officersComplaintMail, type RenderedMail } from '../delivery/mail/templates';
import { exampleComplaint } from '../delivery/pdf/exampleComplaint';
import type { Delivery } from '../delivery/types';
import type { StoredCallback } from '../domain/complaint';
import { LOCALES, type Locale } from '../domain/routes';
import { translator } from '../i18n';
import type { Logger } from '../logger';
import { loadMunicipality, type Municipality } from '../municipality';
import { staffApiHandler } from './api';
import type { Staff } from './index';
import { StaffError } from './service';

export const MAIL_TEMPLATES = ['citizen', 'officers', 'officers-callback', 'digest'] as const;
export type MailTemplateId = (typeof MAIL_TEMPLATES)[number];

const DESCRIPTION_KEY: Record<MailTemplateId, string> = {
  citizen: 'mail.preview.citizen',
  officers: 'mail.preview.officers',
  'officers-callback': 'mail.preview.officersCallback',
  digest: 'mail.preview.digest',
};

export interface MailPreviewSettings {
  municipality: Municipality;
  personalData: boolean;
  staffPublicUrl?: string;
}

export interface MailPreview extends RenderedMail {
  attachments: { filename: string; contentType: string }[];
}

/** A template rendered with the made-up example, in `locale`. */
export function mailPreview(id: MailTemplateId, locale: Locale, s: MailPreviewSettings): MailPreview {
  const complaint = exampleComplaint(locale);
  const link = (ref: string) => staffLinkFor(s.staffPublicUrl, ref);
  switch (id) {
    case 'citizen':
      return { ...citizenMail(complaint, s.municipality, locale), attachments: [{ filename: citizenAttachmentName(complaint, locale), contentType: 'application/pdf' }] };
    case 'officers':
      return { ...officersComplaintMail(complaint, { personalData: s.personalData, staffLink: link(complaint.reference), locale }), attachments: [] };
    case 'officers-callback': {
      const callback: StoredCallback = {
        id: 1,
        reference: 'TB-2026-VB5678',
        complaintReference: complaint.reference,
        name: complaint.contact.name,
        phone: complaint.contact.phone ?? '+31612345678',
        date: '2026-11-26',
        partOfDay: 'morning',
        topic: locale === 'nl' ? 'parkeervergunning' : 'parking permit',
        locale,
        channel: 'webchat',
        conversationId: 'voorbeeld',
        status: 'open',
        createdAt: complaint.createdAt,
      };
      return { ...officersCallbackMail(callback, { personalData: s.personalData, staffLink: link(complaint.reference), locale }), attachments: [] };
    }
    case 'digest': {
      const at = complaint.createdAt;
      const row = (id: number, subject: Delivery['subject'], target: Delivery['target'], lastError: string): Delivery => ({
        id, subject, target, status: 'failed', attempts: 577, nextAttemptAt: null, lastError, state: {}, createdAt: at, updatedAt: at, sentAt: null,
      });
      const failed = [
        row(1, { kind: 'complaint', reference: complaint.reference }, 'zgw', 'HTTP 503'),
        row(2, { kind: 'complaint', reference: complaint.reference }, 'mail.citizen', 'SMTP 550 5.1.1 (RCPT TO)'),
      ];
      return {
        ...digestMail(failed, {
          day: at.slice(0, 10),
          linkFor: (d) => (d.subject.kind === 'digest' ? undefined : link(d.subject.reference)),
          allLink: link('X').replace(/#\/complaints\/X$/, '#/deliveries'),
          locale,
        }),
        attachments: [],
      };
    }
  }
}

function settingsFromEnv(): MailPreviewSettings {
  let config: Partial<Config> = {};
  try {
    config = loadConfig(process.env);
  } catch {
    // the application validated its configuration at start-up; a test server without one uses the defaults
  }
  return {
    municipality: loadMunicipality(config.MUNICIPALITY_FILE),
    personalData: config.MAIL_OFFICERS_PERSONAL_DATA ?? false,
    staffPublicUrl: config.STAFF_PUBLIC_URL,
  };
}

export function registerMailRoutes(server: restify.Server, staff: Staff, log: Logger, settings?: MailPreviewSettings): void {
  const api = staffApiHandler(staff, log);
  let resolved = settings;
  const current = () => (resolved ??= settingsFromEnv());

  server.get(
    '/staff/api/mail/templates',
    api(async () => {
      const t = translator('nl');
      return { body: MAIL_TEMPLATES.map((id) => ({ id, description: t(DESCRIPTION_KEY[id]) })) };
    }),
  );

  server.get(
    '/staff/api/mail/preview/:id',
    api(async (req) => {
      const id = String(req.params?.id ?? '') as MailTemplateId;
      if (!MAIL_TEMPLATES.includes(id)) throw new StaffError(404, 'not_found');
      const raw = (req.query as Record<string, unknown> | undefined)?.locale;
      const locale = (raw === undefined || raw === '' ? 'nl' : raw) as Locale;
      if (!LOCALES.includes(locale)) throw new StaffError(400, 'invalid_query');
      return { body: mailPreview(id, locale, current()) };
    }),
  );
}
