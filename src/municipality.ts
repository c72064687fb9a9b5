/**
 * Every fact about the gemeente lives in one validated data file. The default is Gemeente Amstelveen
 * (src/municipality/amstelveen.json); MUNICIPALITY_FILE points to another gemeente's file.
 */
import { readFileSync } from 'fs';
import { z } from 'zod';
import amstelveen from './municipality/amstelveen.json';

const Text = z.object({ nl: z.string().min(1), en: z.string().min(1) });
const Url = z.url({ protocol: /^https?$/ });
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #00548f');

export const MunicipalitySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  shortName: z.string().min(1),
  phone: z.string().min(6),
  phoneE164: z.string().regex(/^\+\d{8,15}$/),
  complaintOfficers: z.array(z.string().min(1)),
  email: z.email(),
  postalAddress: z.array(z.string().min(1)).min(2),
  officeHours: Text,
  callbackParts: z.object({ morning: Text, afternoon: Text }),
  urls: z.object({
    website: Url,
    complaint: Url,
    objection: Url,
    taxObjection: Url,
    report: Url,
    fixi: Url,
    damage: Url,
    care: Url,
    contact: Url,
    privacy: Url,
  }),
  ombudsman: z.object({ name: z.string().min(1), url: Url, termMonths: z.number().int().positive() }),
  timeZone: z.string().min(1),
  branding: z.object({ primaryColor: Colour, primaryTextColor: Colour, accentColor: Colour }),
  /** staff handling (issue 14): complaint categories (codes; labels in locales staffApi.category.*) and departments (names) */
  handling: z
    .object({ categories: z.array(z.string().regex(/^[a-z_]+$/)).min(1), departments: z.array(z.string().min(1)).min(1) })
    .default({ categories: ['overig'], departments: ['Klantcontactcentrum'] }),
  /** letters (issue 14): where hearings (Awb 9:10) are held unless the officer names another place */
  letters: z.object({ hearingPlace: Text }).optional(),
});
export type Municipality = z.infer<typeof MunicipalitySchema>;

export class MunicipalityError extends Error {}

/** Loads and validates the municipality file; throws a MunicipalityError that names each wrong field. */
export function loadMunicipality(file?: string): Municipality {
  let data: unknown = amstelveen;
  if (file) {
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new MunicipalityError(`MUNICIPALITY_FILE ${file} could not be read as JSON: ${(err as Error).message}`);
    }
  }
  const parsed = MunicipalitySchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new MunicipalityError(`Municipality file ${file ?? 'amstelveen.json'} is invalid: ${problems}`);
  }
  return parsed.data;
}
