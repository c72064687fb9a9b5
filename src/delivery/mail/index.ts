/**
 * E-mail deliveries (issue 13): the mailer over nodemailer and the plugins mail.citizen, mail.officers
 * and mail.digest. src/delivery/index.ts calls createMailPlugins when SMTP_URL is set.
 */
import type { Config } from '../../config';
import type { DeliveryPlugin } from '../types';
import { createMailer, type Mailer } from './mailer';
import { createCitizenMailPlugin, createDigestMailPlugin, createOfficersMailPlugin, mailSettings } from './plugins';

export { createMailer, mapSmtpError, MailError, type Mailer, type MailMessage } from './mailer';
export { createCitizenMailPlugin, createDigestMailPlugin, createOfficersMailPlugin, mailSettings, messageIdFor, sendOnce } from './plugins';

/**
 * The three mail plugins. `mailer` defaults to one made from the configuration (SMTP_URL, MAIL_FROM,
 * DKIM); a second argument that is not a Mailer (src/delivery/index.ts passes its DeliveryDeps) is
 * ignored. Returns [] when SMTP_URL is empty.
 */
export function createMailPlugins(config: Config, mailer?: Mailer | unknown): DeliveryPlugin[] {
  const m = isMailer(mailer) ? mailer : createMailer(config);
  if (!m) return [];
  const settings = mailSettings(config);
  return [createCitizenMailPlugin(m), createOfficersMailPlugin(m, settings), createDigestMailPlugin(m, settings)];
}

function isMailer(x: unknown): x is Mailer {
  return typeof x === 'object' && x !== null && typeof (x as Mailer).send === 'function' && typeof (x as Mailer).domain === 'string';
}
