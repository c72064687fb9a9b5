/**
 * Configuration of the registration backends (src/config.ts): ZGW_* and KLANTINTERACTIES_* are
 * validated at start-up (URLs, the RSIN's 11-test, settings that belong together), and the plugin
 * factories read them the way src/delivery/index.ts calls them.
 */
import { ConfigError, isRsin, loadConfig } from '../../src/config';
import { klantinteractiesConfigFrom } from '../../src/delivery/klantinteracties';
import { zgwConfigFrom } from '../../src/delivery/zgw';

const ZGW = {
  ZGW_ZAKEN_URL: 'https://openzaak.example.nl/zaken/api/v1',
  ZGW_DOCUMENTEN_URL: 'https://openzaak.example.nl/documenten/api/v1',
  ZGW_CLIENT_ID: 'klachtbot',
  ZGW_SECRET: 'geheim',
  ZGW_ZAAKTYPE_URL: 'https://openzaak.example.nl/catalogi/api/v1/zaaktypen/1',
  ZGW_ROLTYPE_INITIATOR_URL: 'https://openzaak.example.nl/catalogi/api/v1/roltypen/1',
  ZGW_STATUSTYPE_URL: 'https://openzaak.example.nl/catalogi/api/v1/statustypen/1',
  ZGW_INFORMATIEOBJECTTYPE_URL: 'https://openzaak.example.nl/catalogi/api/v1/informatieobjecttypen/1',
  ZGW_BRONORGANISATIE: '002220647',
};
const KI = {
  KLANTINTERACTIES_URL: 'https://openklant.example.nl/klantinteracties/api/v1',
  KLANTINTERACTIES_TOKEN: 'token',
  KLANTINTERACTIES_ACTOR_URL: 'https://openklant.example.nl/klantinteracties/api/v1/actoren/8b3c3c1e-1111-4c4c-9d9d-222233334444',
};

describe('registration backend configuration', () => {
  test('off by default', () => {
    const c = loadConfig({});
    expect(c.ZGW_ZAKEN_URL).toBeUndefined();
    expect(c.KLANTINTERACTIES_URL).toBeUndefined();
  });

  test('ZGW: complete settings give the plugin its config; the responsible organisation defaults to the bronorganisatie', () => {
    const z = zgwConfigFrom(loadConfig(ZGW));
    expect(z).toMatchObject({
      zakenUrl: ZGW.ZGW_ZAKEN_URL,
      bronorganisatie: '002220647',
      verantwoordelijkeOrganisatie: '002220647',
      timeoutMs: 10_000,
      vertrouwelijkheidaanduiding: 'vertrouwelijk',
    });
  });

  test('ZGW: a missing setting, a wrong RSIN or a wrong URL stops the start with the variable named', () => {
    const { ZGW_SECRET: _s, ...noSecret } = ZGW;
    expect(() => loadConfig(noSecret)).toThrow(/ZGW_SECRET: required when ZGW_ZAKEN_URL is set/);
    expect(() => loadConfig({ ...ZGW, ZGW_BRONORGANISATIE: '123456789' })).toThrow(/ZGW_BRONORGANISATIE: an RSIN/);
    expect(() => loadConfig({ ...ZGW, ZGW_ZAAKTYPE_URL: 'zaaktype' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...ZGW, ZGW_VERTROUWELIJKHEIDAANDUIDING: 'geheimpje' })).toThrow(/ZGW_VERTROUWELIJKHEIDAANDUIDING/);
  });

  test('Klantinteracties: the token and the actor are required with the URL', () => {
    expect(klantinteractiesConfigFrom(loadConfig(KI))).toMatchObject({ url: KI.KLANTINTERACTIES_URL, kanaal: 'chatbot', timeoutMs: 10_000 });
    expect(() => loadConfig({ KLANTINTERACTIES_URL: KI.KLANTINTERACTIES_URL })).toThrow(/KLANTINTERACTIES_TOKEN: required[\s\S]*KLANTINTERACTIES_ACTOR_URL: required/);
    expect(() => loadConfig({ ...KI, KLANTINTERACTIES_KANAAL: 'x'.repeat(51) })).toThrow(/KLANTINTERACTIES_KANAAL/);
  });

  test('the RSIN 11-test', () => {
    expect(isRsin('002220647')).toBe(true);
    expect(isRsin('123456782')).toBe(true);
    expect(isRsin('123456789')).toBe(false);
    expect(isRsin('12345678')).toBe(false);
    expect(isRsin('12345678a')).toBe(false);
  });
});
