/**
 * The complaint, declared once. These zod schemas serve the dialogs' validation, the store's
 * (de)serialisation and the staff API. No botbuilder imports here.
 */
import { z } from 'zod';
import { checkCity, checkEmail, checkName, checkPhone, checkPostcode, checkStreet, type Check } from './contact';
import { LOCALES, ROUTES } from './routes';

const fromCheck = (check: (s: string) => Check) =>
  z.string().transform((s, ctx) => {
    const r = check(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.value;
  });

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const PLACE_KINDS = ['counter', 'phone', 'mail', 'website', 'home', 'elsewhere'] as const;
export const PERSON_KINDS = ['staff', 'department', 'burgemeester', 'wethouder', 'gemeentesecretaris'] as const;
export const PARTS_OF_DAY = ['morning', 'afternoon'] as const;
export const STATUSES = ['received', 'informal', 'formal', 'resolved'] as const;
export type Status = (typeof STATUSES)[number];

/** Each field the citizen gives, with its rule. Dialog validators parse single fields with these. */
export const Fields = {
  story: z.string().trim().min(10, 'tooShort').max(5000, 'tooLong'),
  /** the day it happened; null for a period or a date too vague for a day */
  incidentDate: IsoDate.nullable(),
  /** a period ("eind oktober", "week 46"): its first and last day; for a day both equal incidentDate; absent when unknown */
  incidentDateFrom: IsoDate.nullable().optional(),
  incidentDateTo: IsoDate.nullable().optional(),
  incidentDateText: z.string().trim().max(200),
  placeKind: z.enum(PLACE_KINDS).nullable(),
  place: z.string().trim().min(2, 'tooShort').max(300, 'tooLong'),
  personKind: z.enum(PERSON_KINDS).nullable(),
  person: z.string().trim().max(300, 'tooLong').nullable(),
  solution: z.string().trim().max(2000, 'tooLong').nullable(),
  name: fromCheck(checkName),
  phone: fromCheck(checkPhone),
  street: fromCheck(checkStreet),
  postcode: fromCheck(checkPostcode),
  city: fromCheck(checkCity),
  email: fromCheck(checkEmail).nullable(),
  /** a country other than the Netherlands (an address abroad); absent: the Netherlands */
  country: z.string().trim().min(2, 'tooShort').max(60, 'tooLong').regex(/^\p{L}[\p{L} .'()-]*$/u, 'format'),
  /** a postcode abroad: free form, letters, digits, spaces and hyphens */
  foreignPostcode: z.string().trim().min(2, 'tooShort').max(12, 'tooLong').regex(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, 'format'),
  /** what a call-back is about, in a few words */
  topic: z.string().trim().min(2, 'tooShort').max(200, 'tooLong'),
} as const;

/**
 * The contact fields, without the rule that ties them together (pick from this one). The law (Awb 9:4)
 * asks for name and address: the phone number and e-mail are optional. An address in the Netherlands
 * has a Dutch postcode; an address abroad has a country and maybe a postcode of that country.
 */
export const ContactFieldsSchema = z.object({
  name: Fields.name,
  phone: Fields.phone.nullable().default(null),
  street: Fields.street,
  postcode: z.string().trim().nullable().default(null),
  city: Fields.city,
  country: Fields.country.optional(),
  email: Fields.email,
});

export const ContactSchema = ContactFieldsSchema.superRefine(
  (c, ctx) => {
    const postcode = typeof c.postcode === 'string' ? c.postcode : null;
    if (c.country === undefined) {
      const r = postcode === null ? ({ ok: false, reason: 'required' } as const) : checkPostcode(postcode);
      if (!r.ok) ctx.addIssue({ code: 'custom', path: ['postcode'], message: r.reason });
    } else if (postcode !== null) {
      const r = Fields.foreignPostcode.safeParse(postcode);
      if (!r.success) ctx.addIssue({ code: 'custom', path: ['postcode'], message: r.error.issues[0]?.message ?? 'format' });
    }
  },
  // also when other fields are wrong: every wrong field is named at once
  { when: () => true },
).transform((c) => {
  if (c.postcode === null) return c;
  if (c.country === undefined) {
    const r = checkPostcode(c.postcode);
    return { ...c, postcode: r.ok ? r.value : c.postcode };
  }
  return { ...c, postcode: Fields.foreignPostcode.parse(c.postcode) };
});
export type Contact = z.infer<typeof ContactSchema>;

/** The address on one line: "Dorpsstraat 12, 1182 JR Amstelveen" or "Rue X 1, 75001 Paris, Frankrijk". */
export function addressLine(c: { street?: string; postcode?: string | null; city?: string; country?: string }): string {
  const town = [c.postcode, c.city].filter(Boolean).join(' ');
  return [c.street, town, c.country].filter(Boolean).join(', ');
}

export const CallbackSchema = z.object({
  name: Fields.name,
  phone: Fields.phone,
  date: IsoDate,
  partOfDay: z.enum(PARTS_OF_DAY),
  topic: Fields.topic.optional(),
});
export type CallbackRequest = z.infer<typeof CallbackSchema>;

/** What the citizen gives in the conversation: everything a complaint is filed with. */
export const ComplaintInputSchema = z.object({
  route: z.enum(ROUTES),
  story: Fields.story,
  incidentDate: Fields.incidentDate,
  incidentDateFrom: Fields.incidentDateFrom,
  incidentDateTo: Fields.incidentDateTo,
  incidentDateText: Fields.incidentDateText,
  placeKind: Fields.placeKind,
  place: Fields.place,
  personKind: Fields.personKind,
  person: Fields.person,
  solution: Fields.solution,
  contact: ContactSchema,
  callback: CallbackSchema.nullable(),
});
export type ComplaintInput = z.infer<typeof ComplaintInputSchema>;

/** Where the complaint came from. */
export const OriginSchema = z.object({
  locale: z.enum(LOCALES),
  channel: z.string().min(1).max(64),
  conversationId: z.string().min(1).max(512),
});
export type Origin = z.infer<typeof OriginSchema>;

/** A filed complaint as the store returns it and the staff API shows it. */
export const ComplaintSchema = ComplaintInputSchema.extend(OriginSchema.shape).extend({
  id: z.number().int().positive(),
  reference: z.string(),
  status: z.enum(STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Complaint = z.infer<typeof ComplaintSchema>;

/** A call-back request stands on its own: it may be filed with or without a complaint. */
export const StoredCallbackSchema = CallbackSchema.extend(OriginSchema.shape).extend({
  id: z.number().int().positive(),
  /** what the citizen is told, as for a complaint: TB-2026-7QK4MX */
  reference: z.string(),
  complaintReference: z.string().nullable(),
  status: z.enum(['open', 'done']),
  createdAt: z.string(),
});
export type StoredCallback = z.infer<typeof StoredCallbackSchema>;
