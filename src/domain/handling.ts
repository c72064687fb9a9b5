/**
 * How a complaint ends and why it may be refused, as codes (labels in locales/*.json,
 * `staffApi.outcomeGround.*` and `reports.outcome.*`). No botbuilder, no I/O.
 */

/** The outcome recorded when a complaint is resolved. */
export const OUTCOMES = ['gegrond', 'deels_gegrond', 'ongegrond', 'niet_in_behandeling', 'opgelost_informeel', 'ingetrokken'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Awb 9:8: the grounds on which the gemeente need not handle a complaint (outcome 'niet_in_behandeling').
 * lid 1 a-f and lid 2 (the citizen's interest or the weight of the conduct is clearly too small).
 */
export const OUTCOME_GROUNDS = [
  'eerder_behandeld', // 9:8 lid 1 a: a complaint about the same conduct was handled before
  'ouder_dan_een_jaar', // 9:8 lid 1 b: the conduct is more than a year before the complaint
  'bezwaar_mogelijk', // 9:8 lid 1 c: the citizen could have objected (bezwaar)
  'beroep_mogelijk', // 9:8 lid 1 d: the citizen can or could appeal (beroep)
  'bij_rechter', // 9:8 lid 1 e: a court is judging or has judged the conduct
  'strafrecht', // 9:8 lid 1 f: a criminal investigation or prosecution concerns the conduct
  'belang_onvoldoende', // 9:8 lid 2: interest or weight clearly insufficient
] as const;
export type OutcomeGround = (typeof OUTCOME_GROUNDS)[number];

/** Channels of a complaint entered by hand (a chat complaint is 'chat'). */
export const MANUAL_CHANNELS = ['phone', 'letter', 'email', 'counter'] as const;
export type ManualChannel = (typeof MANUAL_CHANNELS)[number];

/** Documents staff may add: type and the longest allowed. */
export const DOCUMENT_TYPES: Readonly<Record<string, readonly string[]>> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'text/plain': ['.txt'],
  'message/rfc822': ['.eml'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
};
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
