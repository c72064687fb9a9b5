/**
 * Registration backend 'zgw' (issue 13): a complaint becomes a zaak in the zaaksysteem (ZGW APIs, e.g.
 * Open Zaak), like Open Formulieren's zgw_apis plugin. Specifications: docs/specs/zaken-1.5.1 and
 * documenten-1.4.2 (vendored unchanged).
 *
 * Steps, each result saved with ctx.save right after it, so a retry continues where it stopped:
 *   zaak (Zaken: POST /zaken of the configured zaaktype; the complaint reference as kenmerk)
 *   rol (POST /rollen: the initiator, natuurlijk_persoon, with the citizen's contact details)
 *   status (POST /statussen: the configured first statustype)
 *   pdfDocument + pdfLink (Documenten: POST /enkelvoudiginformatieobjecten, the complaint as PDF;
 *     Zaken: POST /zaakinformatieobjecten)
 *   transcriptDocument + transcriptLink (the conversation as JSON, the same way)
 * Before creating, each step looks for what an earlier attempt may have made when its answer was lost
 * (a time-out after the POST went through): the zaak by its kenmerk (the complaint reference), the rol,
 * status and links by zaak and type, the documents by titel and informatieobjecttype. So a retry never
 * makes a second zaak.
 *
 * A call-back is not delivered here (wants: false): a call-back is a task for the KCC, not a case, and
 * it has no zaaktype; the klantinteracties plugin makes it an interne taak. A call-back filed with a
 * complaint travels with that complaint's zaak through the complaint (its PDF names the call-back).
 *
 * Authentication: the ZGW JWT scheme (HS256 with the application's secret; claims iss = client_id,
 * iat, client_id, user_id, user_representation), a fresh token per request.
 */
import { translator } from '../../i18n';
import type * as Jose from 'jose';
import type { Config } from '../../config';
import type { Complaint } from '../../domain/complaint';
import { toAmsterdamDate } from '../../domain/workingDays';
import { PermanentDeliveryError, type DeliveryContext, type DeliveryPlugin } from '../types';
import { renderPdf } from '../background/thread';
import { cut, JsonClient, step, type Json } from './http';

/** Records in the gemeente's zaaksysteem and Klantinteracties are in Dutch, whatever language the citizen chatted in (locales: registration.*). */
export const REG = translator('nl');

export const VERTROUWELIJKHEID = ['openbaar', 'beperkt_openbaar', 'intern', 'zaakvertrouwelijk', 'vertrouwelijk', 'confidentieel', 'geheim', 'zeer_geheim'] as const;

export interface ZgwConfig {
  /** Zaken API root, e.g. https://openzaak.gemeente.nl/zaken/api/v1 */
  zakenUrl: string;
  /** Documenten API root, e.g. https://openzaak.gemeente.nl/documenten/api/v1 */
  documentenUrl: string;
  clientId: string;
  secret: string;
  zaaktypeUrl: string;
  roltypeInitiatorUrl: string;
  statustypeUrl: string;
  informatieobjecttypeUrl: string;
  /** RSIN of the gemeente (9 digits, 11-proof) */
  bronorganisatie: string;
  /** RSIN of the organisation responsible (usually the same) */
  verantwoordelijkeOrganisatie: string;
  /** per request, in ms */
  timeoutMs: number;
  /** of the zaak and its documents (default: vertrouwelijk) */
  vertrouwelijkheidaanduiding?: (typeof VERTROUWELIJKHEID)[number];
  /** the kenmerk's bron and the JWT's user_id (default: klachtbot) */
  systemName?: string;
}

/** The kenmerk's `bron` that marks zaken made by this bot (the complaint reference is the kenmerk). */
const DEFAULT_SYSTEM = 'klachtbot';

/** The plugin's settings from the application's configuration (ZGW_*; loadConfig checked they are all there). */
export function zgwConfigFrom(c: Config): ZgwConfig {
  const need = (v: string | undefined, name: string): string => {
    if (!v) throw new Error(`zgw: ${name} is required when ZGW_ZAKEN_URL is set`);
    return v;
  };
  const bronorganisatie = need(c.ZGW_BRONORGANISATIE, 'ZGW_BRONORGANISATIE');
  return {
    zakenUrl: need(c.ZGW_ZAKEN_URL, 'ZGW_ZAKEN_URL'),
    documentenUrl: need(c.ZGW_DOCUMENTEN_URL, 'ZGW_DOCUMENTEN_URL'),
    clientId: need(c.ZGW_CLIENT_ID, 'ZGW_CLIENT_ID'),
    secret: need(c.ZGW_SECRET, 'ZGW_SECRET'),
    zaaktypeUrl: need(c.ZGW_ZAAKTYPE_URL, 'ZGW_ZAAKTYPE_URL'),
    roltypeInitiatorUrl: need(c.ZGW_ROLTYPE_INITIATOR_URL, 'ZGW_ROLTYPE_INITIATOR_URL'),
    statustypeUrl: need(c.ZGW_STATUSTYPE_URL, 'ZGW_STATUSTYPE_URL'),
    informatieobjecttypeUrl: need(c.ZGW_INFORMATIEOBJECTTYPE_URL, 'ZGW_INFORMATIEOBJECTTYPE_URL'),
    bronorganisatie,
    verantwoordelijkeOrganisatie: c.ZGW_VERANTWOORDELIJKE_ORGANISATIE ?? bronorganisatie,
    timeoutMs: c.ZGW_TIMEOUT_MS,
    vertrouwelijkheidaanduiding: c.ZGW_VERTROUWELIJKHEIDAANDUIDING,
  };
}

/** The plugin, from its own settings or from the application's configuration (src/delivery/index.ts). */
export function createZgwPlugin(settings: ZgwConfig | Config): DeliveryPlugin {
  const config: ZgwConfig = 'databaseFile' in settings ? zgwConfigFrom(settings) : settings;
  const system = config.systemName ?? DEFAULT_SYSTEM;
  const secret = new TextEncoder().encode(config.secret);
  const client = new JsonClient({
    label: 'zgw',
    timeoutMs: config.timeoutMs,
    headers: async () => ({ Authorization: `Bearer ${await zgwToken(config.clientId, secret, system)}` }),
  });
  const zaken = config.zakenUrl.replace(/\/$/, '');
  const documenten = config.documentenUrl.replace(/\/$/, '');
  const vertrouwelijkheidaanduiding = config.vertrouwelijkheidaanduiding ?? 'vertrouwelijk';
  const crs = { 'Accept-Crs': 'EPSG:4326', 'Content-Crs': 'EPSG:4326' };

  const firstUrl = async (url: string, signal: AbortSignal, pick: (r: Json) => boolean = () => true, headers: Record<string, string> = {}) => {
    const page = await client.get(url, signal, headers);
    // a paginated list ({count, results}), or a plain array (GET /zaakinformatieobjecten)
    const results: Json[] = Array.isArray(page) ? (page as Json[]) : Array.isArray(page.results) ? (page.results as Json[]) : [];
    const hit = results.find(pick);
    return typeof hit?.url === 'string' ? hit.url : undefined;
  };
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  async function deliverComplaint(ctx: DeliveryContext, complaint: Complaint): Promise<void> {
    const { signal } = ctx;
    const day = toAmsterdamDate(new Date(complaint.createdAt));
    const ref = complaint.reference;

    const zaak = await step(
      ctx,
      'zaak',
      () =>
        firstUrl(
          `${zaken}/zaken?${q({ kenmerk: ref, bronorganisatie: config.bronorganisatie, zaaktype: config.zaaktypeUrl })}`,
          signal,
          (z) => Array.isArray(z.kenmerken) && (z.kenmerken as Json[]).some((k) => k.kenmerk === ref && k.bron === system),
          { 'Accept-Crs': 'EPSG:4326' },
        ),
      async () => {
        const created = await client.post(
          `${zaken}/zaken`,
          {
            bronorganisatie: config.bronorganisatie,
            verantwoordelijkeOrganisatie: config.verantwoordelijkeOrganisatie,
            zaaktype: config.zaaktypeUrl,
            omschrijving: cut(REG('registration.zaakOmschrijving', { reference: ref }), 80),
            toelichting: cut(zaakToelichting(complaint), 1000),
            registratiedatum: day,
            startdatum: day,
            communicatiekanaalNaam: 'Chatbot',
            vertrouwelijkheidaanduiding,
            kenmerken: [{ kenmerk: ref, bron: system }],
          },
          signal,
          crs,
        );
        return urlOf(created, 'zaak');
      },
    );
    if (typeof ctx.state.zaakIdentificatie !== 'string') {
      // shown to staff beside the URL; read back once (also after a lost answer)
      const z = await client.get(zaak, signal, { 'Accept-Crs': 'EPSG:4326' });
      if (typeof z.identificatie === 'string') {
        ctx.state.zaakIdentificatie = z.identificatie;
        await ctx.save({ zaakIdentificatie: z.identificatie });
      }
    }

    await step(
      ctx,
      'rol',
      () => firstUrl(`${zaken}/rollen?${q({ zaak, roltype: config.roltypeInitiatorUrl })}`, signal),
      async () => urlOf(await client.post(`${zaken}/rollen`, initiatorRol(complaint, zaak, config.roltypeInitiatorUrl), signal), 'rol'),
    );

    await step(
      ctx,
      'status',
      () => firstUrl(`${zaken}/statussen?${q({ zaak, statustype: config.statustypeUrl })}`, signal),
      async () =>
        urlOf(
          await client.post(
            `${zaken}/statussen`,
            { zaak, statustype: config.statustypeUrl, datumStatusGezet: complaint.createdAt, statustoelichting: REG('registration.statusToelichting') },
            signal,
          ),
          'status',
        ),
    );

    const taal = complaint.locale === 'en' ? 'eng' : 'nld';
    const documents = [
      {
        key: 'pdf',
        titel: REG('registration.pdfTitel', { reference: ref }),
        bestandsnaam: `klacht-${ref}.pdf`,
        formaat: 'application/pdf',
        beschrijving: REG('registration.pdfBeschrijving'),
        // the accessible complaint PDF the citizen got, in the language of the conversation (= taal)
        content: async () => renderPdf({ kind: 'complaint', complaint, municipality: ctx.deps.municipality, locale: complaint.locale }),
      },
      {
        key: 'transcript',
        titel: REG('registration.transcriptTitel', { reference: ref }),
        bestandsnaam: `gesprek-${ref}.json`,
        formaat: 'application/json',
        beschrijving: REG('registration.transcriptBeschrijving'),
        content: async () => Buffer.from(transcriptJson(await ctx.deps.transcript(complaint.channel, complaint.conversationId)), 'utf8'),
      },
    ];
    for (const doc of documents) {
      const informatieobject = await step(
        ctx,
        `${doc.key}Document`,
        () =>
          firstUrl(
            `${documenten}/enkelvoudiginformatieobjecten?${q({ bronorganisatie: config.bronorganisatie, informatieobjecttype: config.informatieobjecttypeUrl, titel: doc.titel })}`,
            signal,
            (d) => d.titel === doc.titel,
          ),
        async () => {
          const content = await doc.content();
          const created = await client.post(
            `${documenten}/enkelvoudiginformatieobjecten`,
            {
              bronorganisatie: config.bronorganisatie,
              creatiedatum: day,
              titel: doc.titel,
              auteur: system,
              status: 'definitief',
              formaat: doc.formaat,
              taal,
              bestandsnaam: doc.bestandsnaam,
              bestandsomvang: content.length,
              inhoud: content.toString('base64'),
              beschrijving: doc.beschrijving,
              ontvangstdatum: day,
              indicatieGebruiksrecht: false,
              vertrouwelijkheidaanduiding,
              informatieobjecttype: config.informatieobjecttypeUrl,
            },
            signal,
          );
          return urlOf(created, 'enkelvoudiginformatieobject');
        },
      );
      await step(
        ctx,
        `${doc.key}Link`,
        () => firstUrl(`${zaken}/zaakinformatieobjecten?${q({ zaak, informatieobject })}`, signal),
        async () => urlOf(await client.post(`${zaken}/zaakinformatieobjecten`, { zaak, informatieobject, titel: doc.titel }, signal), 'zaakinformatieobject'),
      );
    }
  }

  return {
    target: 'zgw',
    wants: (subject) => subject.kind === 'complaint',
    async deliver(ctx) {
      const subject = ctx.delivery.subject;
      if (subject.kind !== 'complaint') throw new PermanentDeliveryError(`zgw: ${subject.kind} is not delivered as a zaak`);
      const complaint = await ctx.deps.complaint(subject.reference);
      if (!complaint) throw new PermanentDeliveryError('zgw: the complaint no longer exists');
      await deliverComplaint(ctx, complaint);
    },
  };
}

/** A ZGW JWT (HS256): iss and client_id are the application's client id. */
export async function zgwToken(clientId: string, secret: Uint8Array, userId: string): Promise<string> {
  // jose 6 is an ES module; Node 20.19+ loads it with require() (as src/staff/auth.ts does)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SignJWT } = require('jose') as typeof Jose;
  return new SignJWT({ client_id: clientId, user_id: userId, user_representation: 'Klachtbot (chatbot)' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(clientId)
    .setIssuedAt()
    .sign(secret);
}

function urlOf(created: Json, what: string): string {
  if (typeof created.url !== 'string' || !created.url) throw new Error(`zgw: the created ${what} has no url`);
  return created.url;
}

/** the toelichting of the zaak: the story, the wish (≤ 1000 characters together, cut by the caller) */
function zaakToelichting(c: Complaint): string {
  const parts = [c.story.trim()];
  if (c.solution) parts.push(`Gewenste oplossing: ${c.solution.trim()}`);
  return parts.join('\n\n');
}

const PREFIXES = ['van der', 'van den', 'van de', 'in het', 'in de', "van 't", 'van', 'de', 'der', 'den', 'het', "'t", 'ter', 'ten', 'te', 'op de', 'op den', 'in ’t', 'la', 'le', 'du', 'von', 'zu', 'al', 'el'];

/** "Jan Peter de Vries" → voornamen "Jan Peter", voorvoegsel "de", geslachtsnaam "Vries" (as far as a name says) */
export function splitName(name: string): { voornamen?: string; voorvoegsel?: string; geslachtsnaam: string } {
  const words = name.trim().split(/\s+/);
  if (words.length === 1) return { geslachtsnaam: words[0] };
  const lower = words.map((w) => w.toLowerCase());
  for (let i = 1; i < words.length - 1; i++) {
    for (const p of PREFIXES) {
      const n = p.split(' ').length;
      if (i + n < words.length && lower.slice(i, i + n).join(' ') === p) {
        return { voornamen: words.slice(0, i).join(' '), voorvoegsel: words.slice(i, i + n).join(' '), geslachtsnaam: words.slice(i + n).join(' ') };
      }
    }
  }
  return { voornamen: words.slice(0, -1).join(' '), geslachtsnaam: words[words.length - 1] };
}

function initiatorRol(c: Complaint, zaak: string, roltype: string): Json {
  const n = splitName(c.contact.name);
  const contactpersoonRol: Json = { naam: cut(c.contact.name, 200) };
  if (c.contact.email && c.contact.email.length <= 254) contactpersoonRol.emailadres = c.contact.email;
  if (c.contact.phone && c.contact.phone.length <= 20) contactpersoonRol.telefoonnummer = c.contact.phone;
  const identificatie: Json = { geslachtsnaam: cut(n.geslachtsnaam, 200) };
  if (n.voornamen) identificatie.voornamen = cut(n.voornamen, 200);
  if (n.voorvoegsel && n.voorvoegsel.length <= 80) identificatie.voorvoegselGeslachtsnaam = n.voorvoegsel;
  return {
    zaak,
    betrokkeneType: 'natuurlijk_persoon',
    roltype,
    roltoelichting: REG('registration.rolToelichting'),
    betrokkeneIdentificatie: identificatie,
    contactpersoonRol,
  };
}

/** the transcript as one JSON array of the stored activities (each already a JSON text) */
export function transcriptJson(activities: string[]): string {
  const items = activities.map((a) => {
    try {
      return JSON.parse(a) as unknown;
    } catch {
      return { text: a };
    }
  });
  return JSON.stringify(items, null, 1);
}
