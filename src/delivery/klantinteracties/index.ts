/**
 * Registration backend 'klantinteracties' (issue 13): the chat as a klantcontact in Klantinteracties
 * (Open Klant 2; docs/specs/klantinteracties-0.9.0.openapi.yaml, vendored unchanged). VNG's definition
 * of a klantcontact includes a conversation with a chatbot on the gemeente's website.
 *
 * A complaint:
 *   klantcontact (kanaal, onderwerp "Klacht KL-…", inhoud: the story ≤ 1000 characters, taal nld/eng,
 *     vertrouwelijk, plaatsgevondenOp: when it was filed)
 *   betrokkene (rol klant, initiator) with contactnaam and correspondentieadres. No partij: the citizen is
 *     not identified (no BSN), and a partij per chat would fill the gemeente's register of parties with
 *     unverified duplicates; the specification lets a betrokkene stand without one (wasPartij nullable).
 *   digitale adressen of the betrokkene (email, telefoonnummer), as far as given
 *   onderwerpobject pointing at the zaak, and a bijlage pointing at the transcript document, when the
 *     zgw delivery of the same complaint made them (read through deps.deliveryState). While that delivery
 *     is still under way this step waits (a retryable error; everything before it is saved); when it
 *     failed or is not configured, the klantcontact stands without them. Klantinteracties keeps no file
 *     content: without the zgw backend there is no document for a bijlage to point at.
 * A call-back: klantcontact ("Terugbelverzoek TB-…") + betrokkene with the phone number + an interne
 *   taak (gevraagdeHandeling "Terugbellen", toegewezenAanActoren: KLANTINTERACTIES_ACTOR_URL, the
 *   toelichting with the preferred day and part of day in Dutch time, status te_verwerken).
 *
 * Every step saves its URL at once and, before creating, looks for what an attempt whose answer was
 * lost may have made (the klantcontact by onderwerp and kanaal, the rest by their klantcontact), so a
 * retry never makes a second one. Authentication: `Authorization: Token <KLANTINTERACTIES_TOKEN>`.
 * The texts sent are in Dutch: they are for the gemeente's staff, whatever language the citizen used.
 */
import { REG } from '../zgw';
import type { Config } from '../../config';
import { addressLine, type Complaint, type StoredCallback } from '../../domain/complaint';
import type { Municipality } from '../../municipality';
import { PermanentDeliveryError, type DeliveryContext, type DeliveryPlugin } from '../types';
import { cut, JsonClient, step, uuidOf, type Json } from '../zgw/http';
import { splitName } from '../zgw';

export interface KlantinteractiesConfig {
  /** API root, e.g. https://openklant.gemeente.nl/klantinteracties/api/v1 */
  url: string;
  token: string;
  /** the actor (medewerker or organisatorische eenheid) a call-back's interne taak is assigned to */
  actorUrl: string;
  /** the klantcontact's kanaal (≤ 50) */
  kanaal: string;
  /** per request, in ms */
  timeoutMs: number;
}

/** The plugin's settings from the application's configuration (KLANTINTERACTIES_*; checked by loadConfig). */
export function klantinteractiesConfigFrom(c: Config): KlantinteractiesConfig {
  if (!c.KLANTINTERACTIES_URL || !c.KLANTINTERACTIES_TOKEN || !c.KLANTINTERACTIES_ACTOR_URL) {
    throw new Error('klantinteracties: KLANTINTERACTIES_URL, KLANTINTERACTIES_TOKEN and KLANTINTERACTIES_ACTOR_URL are required');
  }
  return {
    url: c.KLANTINTERACTIES_URL,
    token: c.KLANTINTERACTIES_TOKEN,
    actorUrl: c.KLANTINTERACTIES_ACTOR_URL,
    kanaal: c.KLANTINTERACTIES_KANAAL,
    timeoutMs: c.KLANTINTERACTIES_TIMEOUT_MS,
  };
}

/** The plugin, from its own settings or from the application's configuration (src/delivery/index.ts). */
export function createKlantinteractiesPlugin(settings: KlantinteractiesConfig | Config): DeliveryPlugin {
  const config: KlantinteractiesConfig = 'databaseFile' in settings ? klantinteractiesConfigFrom(settings) : settings;
  const root = config.url.replace(/\/$/, '');
  const client = new JsonClient({ label: 'klantinteracties', timeoutMs: config.timeoutMs, headers: async () => ({ Authorization: `Token ${config.token}` }) });
  const kanaal = cut(config.kanaal, 50);
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const firstUrl = async (url: string, signal: AbortSignal, pick: (r: Json) => boolean = () => true) => {
    const page = await client.get(url, signal);
    const results: Json[] = Array.isArray(page) ? (page as Json[]) : Array.isArray(page.results) ? (page.results as Json[]) : [];
    const hit = results.find(pick);
    return typeof hit?.url === 'string' ? hit.url : undefined;
  };
  const created = (body: Json, what: string): string => {
    if (typeof body.url !== 'string' || !body.url) throw new Error(`klantinteracties: the created ${what} has no url`);
    return body.url;
  };

  /** klantcontact + betrokkene + digitale adressen; returns the klantcontact's and betrokkene's uuid */
  async function contact(ctx: DeliveryContext, kc: Json, person: { name: string; address?: Json | null; email?: string | null; phone?: string | null }) {
    const { signal } = ctx;
    const klantcontact = await step(
      ctx,
      'klantcontact',
      () => firstUrl(`${root}/klantcontacten?${q({ onderwerp: String(kc.onderwerp), kanaal })}`, signal, (r) => r.onderwerp === kc.onderwerp),
      async () => created(await client.post(`${root}/klantcontacten`, kc, signal), 'klantcontact'),
    );
    const kcUuid = uuidOf(klantcontact);
    const n = splitName(person.name);
    const betrokkene = await step(
      ctx,
      'betrokkene',
      () => firstUrl(`${root}/betrokkenen?${q({ hadKlantcontact__uuid: kcUuid })}`, signal, (r) => r.rol === 'klant'),
      async () =>
        created(
          await client.post(
            `${root}/betrokkenen`,
            {
              hadKlantcontact: { uuid: kcUuid },
              rol: 'klant',
              initiator: true,
              contactnaam: {
                ...(n.voornamen ? { voornaam: cut(n.voornamen, 200) } : {}),
                ...(n.voorvoegsel && n.voorvoegsel.length <= 10 ? { voorvoegselAchternaam: n.voorvoegsel } : {}),
                achternaam: cut(n.geslachtsnaam, 200),
              },
              ...(person.address ? { correspondentieadres: person.address } : {}),
            },
            signal,
          ),
          'betrokkene',
        ),
    );
    const betrokkeneUuid = uuidOf(betrokkene);
    const addresses: [string, 'email' | 'telefoonnummer', string | null | undefined, string][] = [
      ['email', 'email', person.email, 'e-mailadres'],
      ['telefoon', 'telefoonnummer', person.phone, 'telefoonnummer'],
    ];
    for (const [key, soort, adres, omschrijving] of addresses) {
      if (!adres || adres.length > 80) continue;
      await step(
        ctx,
        `${key}Adres`,
        () => firstUrl(`${root}/digitaleadressen?${q({ verstrektDoorBetrokkene__uuid: betrokkeneUuid, soortDigitaalAdres: soort })}`, signal),
        async () =>
          created(
            await client.post(`${root}/digitaleadressen`, { verstrektDoorBetrokkene: { uuid: betrokkeneUuid }, adres, soortDigitaalAdres: soort, omschrijving }, signal),
            'digitaal adres',
          ),
      );
    }
    return { kcUuid, betrokkeneUuid };
  }

  async function deliverComplaint(ctx: DeliveryContext, complaint: Complaint): Promise<void> {
    const { signal } = ctx;
    const { kcUuid } = await contact(
      ctx,
      {
        kanaal,
        onderwerp: REG('registration.complaintOnderwerp', { reference: complaint.reference }),
        inhoud: cut(complaint.story, 1000),
        indicatieContactGelukt: true,
        taal: complaint.locale === 'en' ? 'eng' : 'nld',
        vertrouwelijk: true,
        plaatsgevondenOp: complaint.createdAt,
      },
      { name: complaint.contact.name, address: correspondentieadres(complaint), email: complaint.contact.email, phone: complaint.contact.phone },
    );

    // the zaak and the transcript document, when the zgw delivery made them
    if (ctx.state.zaakLink === 'none') return;
    const zgw = ctx.deps.deliveryState ? await ctx.deps.deliveryState(ctx.delivery.subject, 'zgw') : undefined;
    if (!zgw || zgw.status === 'failed') {
      ctx.state.zaakLink = 'none';
      await ctx.save({ zaakLink: 'none' });
      return;
    }
    if (zgw.status !== 'sent') throw new Error('klantinteracties: waiting for the zgw delivery (the zaak) to finish; the klantcontact is made');
    const zaak = typeof zgw.state.zaak === 'string' ? zgw.state.zaak : undefined;
    const transcript = typeof zgw.state.transcriptDocument === 'string' ? zgw.state.transcriptDocument : undefined;
    if (zaak) {
      const id = identificator(zaak, 'zaak');
      await step(
        ctx,
        'onderwerpobject',
        () => firstUrl(`${root}/onderwerpobjecten?${q({ klantcontact__uuid: kcUuid, onderwerpobjectidentificatorObjectId: id.objectId })}`, signal),
        async () => created(await client.post(`${root}/onderwerpobjecten`, { klantcontact: { uuid: kcUuid }, wasKlantcontact: null, onderwerpobjectidentificator: id }, signal), 'onderwerpobject'),
      );
    }
    if (transcript) {
      const id = identificator(transcript, 'enkelvoudiginformatieobject');
      await step(
        ctx,
        'bijlage',
        () => firstUrl(`${root}/bijlagen?${q({ klantcontact__uuid: kcUuid, bijlageidentificatorObjectId: id.objectId })}`, signal),
        async () => created(await client.post(`${root}/bijlagen`, { wasBijlageVanKlantcontact: { uuid: kcUuid }, bijlageidentificator: id }, signal), 'bijlage'),
      );
    }
  }

  async function deliverCallback(ctx: DeliveryContext, cb: StoredCallback): Promise<void> {
    const { signal } = ctx;
    const { kcUuid } = await contact(
      ctx,
      {
        kanaal,
        onderwerp: REG('registration.callbackOnderwerp', { reference: cb.reference }),
        inhoud: cut(
          [
            REG('registration.callbackInhoud'),
            cb.topic ? REG('registration.topic', { topic: cb.topic }) : '',
            cb.complaintReference ? REG('registration.forComplaint', { reference: cb.complaintReference }) : '',
          ]
            .filter(Boolean)
            .join(' '),
          1000,
        ),
        indicatieContactGelukt: true,
        taal: cb.locale === 'en' ? 'eng' : 'nld',
        vertrouwelijk: true,
        plaatsgevondenOp: cb.createdAt,
      },
      { name: cb.name, phone: cb.phone },
    );
    await step(
      ctx,
      'interneTaak',
      () => firstUrl(`${root}/internetaken?${q({ aanleidinggevendKlantcontact__uuid: kcUuid })}`, signal),
      async () =>
        created(
          await client.post(
            `${root}/internetaken`,
            {
              aanleidinggevendKlantcontact: { uuid: kcUuid },
              gevraagdeHandeling: REG('registration.taakHandeling'),
              toegewezenAanActoren: [{ uuid: uuidOf(config.actorUrl) }],
              toelichting: cut(callbackToelichting(cb, ctx.deps.municipality), 1000),
              status: 'te_verwerken',
            },
            signal,
          ),
          'interne taak',
        ),
    );
  }

  return {
    target: 'klantinteracties',
    wants: (subject) => subject.kind === 'complaint' || subject.kind === 'callback',
    async deliver(ctx) {
      const subject = ctx.delivery.subject;
      if (subject.kind === 'complaint') {
        const complaint = await ctx.deps.complaint(subject.reference);
        if (!complaint) throw new PermanentDeliveryError('klantinteracties: the complaint no longer exists');
        return deliverComplaint(ctx, complaint);
      }
      if (subject.kind === 'callback') {
        const cb = await ctx.deps.callback(subject.id);
        if (!cb) throw new PermanentDeliveryError('klantinteracties: the call-back request no longer exists');
        return deliverCallback(ctx, cb);
      }
      throw new PermanentDeliveryError(`klantinteracties: ${subject.kind} is not delivered here`);
    },
  };
}

/** points at a ZGW resource: its URL when it fits (≤ 200), else its uuid */
function identificator(url: string, codeObjecttype: string): { objectId: string; codeObjecttype: string; codeRegister: string; codeSoortObjectId: string } {
  const byUrl = url.length <= 200;
  return { objectId: byUrl ? url : uuidOf(url), codeObjecttype, codeRegister: 'openzaak', codeSoortObjectId: byUrl ? 'url' : 'uuid' };
}

/** the address as lines (the API's postcode field only takes a Dutch postcode; lines take any) */
function correspondentieadres(c: Complaint): Json | null {
  const { street, postcode, city, country } = c.contact;
  if (!street && !city) return null;
  const lines = [street, [postcode, city].filter(Boolean).join(' '), country].filter((l): l is string => Boolean(l)).map((l) => cut(l, 80));
  const adres: Json = {};
  lines.slice(0, 3).forEach((l, i) => (adres[`adresregel${i + 1}`] = l));
  if (!country) adres.land = 'NL';
  return Object.keys(adres).length ? adres : { adresregel1: cut(addressLine(c.contact), 80) };
}

const DAY_NL = new Intl.DateTimeFormat('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });

/** "Terugbellen op donderdag 26 november 2026, ochtend (9.00 - 12.00 uur), Nederlandse tijd. …" */
export function callbackToelichting(cb: StoredCallback, municipality: Municipality): string {
  const day = DAY_NL.format(new Date(`${cb.date}T12:00:00Z`));
  const part = municipality.callbackParts[cb.partOfDay].nl;
  const parts = [REG('registration.taakWhen', { day, part }), REG('registration.taakRequest', { reference: cb.reference })];
  if (cb.topic) parts.push(`${REG('registration.topic', { topic: cb.topic })}.`);
  if (cb.complaintReference) parts.push(REG('registration.forComplaint', { reference: cb.complaintReference }));
  if (cb.locale === 'en') parts.push(REG('registration.taakEnglish'));
  return parts.join(' ');
}
