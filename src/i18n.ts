/**
 * Every user-facing text lives in locales/<lang>.json; this module loads them into one i18next
 * instance and gives a translate function per locale.
 */
import i18next, { type i18n, type TFunction } from 'i18next';
import en from '../locales/en.json';
import nl from '../locales/nl.json';
import type { Locale } from './domain/routes';

let instance: i18n | undefined;

export function i18nInstance(): i18n {
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      initAsync: false,
      lng: 'nl',
      fallbackLng: 'nl',
      resources: { nl: { translation: nl }, en: { translation: en } },
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }
  return instance;
}

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

const translators = new Map<Locale, Translate>();

/**
 * The translate function for a locale, made once. Texts without variables are kept after their first
 * use (the resources never change while running): buttons and choice words are looked up many times
 * per turn.
 */
export function translator(locale: Locale): Translate {
  let translate = translators.get(locale);
  if (!translate) {
    const t: TFunction = i18nInstance().getFixedT(locale);
    const plain = new Map<string, string>();
    translate = (key, vars) => {
      if (vars && Object.keys(vars).length > 0) return t(key, vars) as string;
      let text = plain.get(key);
      if (text === undefined) {
        text = t(key, {}) as string;
        plain.set(key, text);
      }
      return text;
    };
    translators.set(locale, translate);
  }
  return translate;
}

/** Maps an activity or browser locale ("nl-NL", "en-GB", "fr") to one the bot speaks, or undefined. */
export function toLocale(raw: string | undefined | null): Locale | undefined {
  const lang = (raw ?? '').toLowerCase().slice(0, 2);
  return lang === 'nl' || lang === 'en' ? lang : undefined;
}
