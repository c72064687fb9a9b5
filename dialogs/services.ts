/** What the dialogs need from the rest of the product, injected so tests use the real parts. */
import type { TurnContext } from 'botbuilder';
import type { CallbackRequest, ComplaintInput, Origin } from '../src/domain/complaint';
import type { Municipality } from '../src/municipality';
import type { FileResult } from '../src/store/complaintStore';
import type { DraftStore } from './draft';
import { turnLocale, type Vars } from './turn';

export interface ComplaintFiler {
  file(input: ComplaintInput, origin: Origin, idempotencyKey: string, callbackId?: number): Promise<FileResult>;
  requestCallback(request: CallbackRequest, origin: Origin, idempotencyKey: string): Promise<number>;
  /** stores a call-back request once per key; its reference is told to the citizen */
  fileCallback(request: CallbackRequest, origin: Origin, idempotencyKey: string): Promise<{ id: number; reference: string }>;
}

export interface DialogServices {
  drafts: DraftStore;
  filer: ComplaintFiler;
  municipality: Municipality;
  /** counts the referrals the bot gives (annual report); only day, route, locale and channel are kept */
  referrals?: { record(route: string, origin: Origin): Promise<void> };
}

export function origin(context: TurnContext): Origin {
  return {
    locale: turnLocale(context),
    channel: context.activity.channelId,
    conversationId: context.activity.conversation.id,
  };
}

/** The gemeente's facts as text variables, for the current language. */
export function facts(m: Municipality, context: TurnContext): Vars {
  const locale = turnLocale(context);
  return {
    gemeente: m.name,
    place: m.shortName,
    phone: m.phone,
    hours: m.officeHours[locale],
    email: m.email,
    address: m.postalAddress.join(', '),
    officers: m.complaintOfficers.join(locale === 'nl' ? ' of ' : ' or '),
    ombudsman: m.ombudsman.name,
    ombudsmanUrl: m.ombudsman.url,
    ombudsmanMonths: m.ombudsman.termMonths,
    privacyUrl: m.urls.privacy,
    contactUrl: m.urls.contact,
    complaintUrl: m.urls.complaint,
  };
}
