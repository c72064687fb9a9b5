import { RECOGNISED_ROUTES, RecognisedRoute, RouteClassification } from '../domain/routes';
import type { RouteScores } from './model';

/**
 * From the model's raw activations to a route. The asymmetry is deliberate: sending a real complaint
 * elsewhere is the worst error, so a non-complaint route needs a strong, dominant activation with a
 * clear lead over `complaint`; when that is missing the message becomes a complaint if the model saw
 * complaint evidence, and `unclear` (the bot asks) if it saw little evidence of anything.
 *
 * Activations are the NLP.js perceptron outputs: 0 means no evidence, about 1 means as sure as on a
 * training sentence. `share` is a route's part of the summed activations.
 */
export interface Thresholds {
  /** A referral route (anything but complaint) needs at least this activation, */
  referralMin: number;
  /** and at least this share of all activation, */
  referralShare: number;
  /** and must lead complaint's activation by at least this much, */
  referralMargin: number;
  /** and complaint's activation may be at most (1 - referralLead) times its own. */
  referralLead: number;
  /** Complaint as the top route needs at least this activation; below it the message is unclear. */
  complaintMin: number;
  /** An unsure referral falls back to complaint when complaint's activation is at least this. */
  complaintFallbackMin: number;
  /** `unclear` as the top route wins only when complaint's activation is below this. */
  unclearOverrideMin: number;
}

/**
 * Tuned on out-of-fold predictions of 5-fold cross-validation over the training corpus (src/routing/tune.ts),
 * with a cost that counts a complaint sent elsewhere ten times as heavily as any other error (and a
 * message answered `unclear` as three quarters of an error: the bot asks one more question).
 * The evaluation set played no part in choosing them. (referralMin is 0 because the margin already
 * demands an activation of at least 0.3.)
 */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  referralMin: 0,
  referralShare: 0.4,
  referralMargin: 0.3,
  referralLead: 0.5,
  complaintMin: 0.2,
  complaintFallbackMin: 0.1,
  unclearOverrideMin: 0.4,
});

export type DecisionReason =
  | 'no-evidence'
  | 'unclear-class'
  | 'complaint-top'
  | 'complaint-weak'
  | 'referral-sure'
  | 'referral-unsure-complaint'
  | 'referral-unsure-unclear'
  | 'rule-handling-complaint';

export interface Decision extends RouteClassification {
  reason: DecisionReason;
  /** The model's best route before the threshold (for diagnostics and evaluation). */
  top: RecognisedRoute;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Ranks routes by activation; ties keep the order of RECOGNISED_ROUTES (complaint first). */
export function rank(scores: RouteScores): RecognisedRoute[] {
  return [...RECOGNISED_ROUTES].sort((a, b) => scores[b] - scores[a]);
}

/** How sure the model is of `route`: its activation (capped at 1) times its share of all activation. */
export function routeConfidence(scores: RouteScores, route: RecognisedRoute): number {
  const total = RECOGNISED_ROUTES.reduce((s, r) => s + scores[r], 0);
  if (total <= 0) return 0;
  return clamp01(scores[route]) * (scores[route] / total);
}

export function decide(scores: RouteScores, t: Thresholds = DEFAULT_THRESHOLDS): Decision {
  const order = rank(scores);
  const top = order[0];
  const total = RECOGNISED_ROUTES.reduce((s, r) => s + scores[r], 0);
  const complaint = scores.complaint;

  const unclear = (reason: DecisionReason): Decision => {
    // Confidence that the citizen must be asked: how far the best real route is from being sure.
    const best = order.find((r) => r !== 'unclear') ?? 'complaint';
    return { route: 'unclear', confidence: round(1 - routeConfidence(scores, best)), reason, top };
  };
  const pick = (route: RecognisedRoute, reason: DecisionReason): Decision => ({
    route,
    confidence: round(routeConfidence(scores, route)),
    reason,
    top,
  });

  if (total <= 0) return { route: 'unclear', confidence: 1, reason: 'no-evidence', top };

  if (top === 'unclear') {
    return complaint >= t.unclearOverrideMin ? pick('complaint', 'complaint-top') : unclear('unclear-class');
  }
  if (top === 'complaint') {
    return complaint >= t.complaintMin ? pick('complaint', 'complaint-top') : unclear('complaint-weak');
  }
  const a = scores[top];
  const share = a / total;
  if (a >= t.referralMin && share >= t.referralShare && a - complaint >= t.referralMargin && complaint <= (1 - t.referralLead) * a) {
    return pick(top, 'referral-sure');
  }
  if (complaint >= t.complaintFallbackMin) return pick('complaint', 'referral-unsure-complaint');
  return unclear('referral-unsure-unclear');
}
