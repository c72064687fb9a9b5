/**
 * Where a citizen's message belongs. `complaint` is a complaint about the conduct or service of the
 * gemeente (Awb chapter 9); every other route is a different procedure the citizen is referred to.
 * `unclear` is what a recogniser answers when it is not confident; the bot then asks the citizen.
 */
export const ROUTES = ['complaint', 'objection', 'tax-objection', 'report', 'damage', 'care', 'other'] as const;
export type Route = (typeof ROUTES)[number];
export type RecognisedRoute = Route | 'unclear';
export const RECOGNISED_ROUTES: readonly RecognisedRoute[] = [...ROUTES, 'unclear'];

/** Routes that are referred elsewhere: everything but a complaint. */
export const REFERRAL_ROUTES = ROUTES.filter((r) => r !== 'complaint') as Exclude<Route, 'complaint'>[];

export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface RouteClassification {
  route: RecognisedRoute;
  /** 0..1 */
  confidence: number;
}

/** Anything that can tell the route of a citizen's story. Free of botbuilder. */
export interface RouteClassifier {
  classify(text: string, locale: Locale): Promise<RouteClassification> | RouteClassification;
}
