/**
 * Chooses the decision thresholds without looking at the evaluation set: 5-fold cross-validation on
 * the TRAINING corpus gives out-of-fold activations for every training sentence; a coordinate search
 * then picks the thresholds with the lowest cost, where a complaint sent to another route costs
 * COMPLAINT_AWAY_COST, a message answered `unclear` costs UNCLEAR_COST (the bot asks one more
 * question) and every other error costs 1. Prints the best thresholds; copy them into decision.ts.
 *
 *   npx tsc -p . && node dist/src/routing/tune.js
 */
import { LOCALES, RecognisedRoute, REFERRAL_ROUTES } from '../domain/routes';
import { trainingUtterances, Utterance } from './corpus';
import { DEFAULT_THRESHOLDS, Thresholds, decide } from './decision';
import { LanguageModel, RouteScores } from './model';
import { detectHandlingComplaint } from './rules';

const FOLDS = 5;
const COMPLAINT_AWAY_COST = Number(process.env.COMPLAINT_AWAY_COST ?? 10);
const UNCLEAR_COST = Number(process.env.UNCLEAR_COST ?? 0.75);

interface OutOfFold {
  route: RecognisedRoute;
  scores: RouteScores;
  rule: boolean;
}

export function outOfFold(folds = FOLDS): OutOfFold[] {
  const out: OutOfFold[] = [];
  for (const locale of LOCALES) {
    const all = trainingUtterances(locale);
    for (let f = 0; f < folds; f += 1) {
      const train: Utterance[] = all.filter((_, i) => i % folds !== f);
      const model = LanguageModel.train(locale, train);
      all.forEach((u, i) => {
        if (i % folds !== f) return;
        out.push({ route: u.route, scores: model.scores(u.text).scores, rule: detectHandlingComplaint(u.text, locale) !== undefined });
      });
    }
  }
  return out;
}

interface Cost {
  cost: number;
  accuracy: number;
  away: number;
  complaints: number;
}

function cost(items: OutOfFold[], t: Thresholds): Cost {
  let c = 0;
  let correct = 0;
  let away = 0;
  let complaints = 0;
  for (const it of items) {
    let predicted = decide(it.scores, t).route;
    if (it.rule) predicted = 'complaint';
    if (it.route === 'complaint') complaints += 1;
    if (predicted === it.route) {
      correct += 1;
    } else if (it.route === 'complaint' && (REFERRAL_ROUTES as RecognisedRoute[]).includes(predicted)) {
      away += 1;
      c += COMPLAINT_AWAY_COST;
    } else c += predicted === 'unclear' ? UNCLEAR_COST : 1;
  }
  return { cost: c, accuracy: correct / items.length, away, complaints };
}

const CANDIDATES: Record<keyof Thresholds, number[]> = {
  referralMin: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5],
  referralShare: [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
  referralMargin: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5],
  referralLead: [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  complaintMin: [0, 0.05, 0.1, 0.15, 0.2, 0.3],
  complaintFallbackMin: [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 10],
  unclearOverrideMin: [0.2, 0.3, 0.4, 0.5, 0.7, 10],
};

function main(): void {
  const items = outOfFold();
  const start = { ...DEFAULT_THRESHOLDS };
  let best = { t: start, ...cost(items, start) };
  const initial = best;
  for (let round = 0; round < 6; round += 1) {
    let improved = false;
    for (const key of Object.keys(CANDIDATES) as (keyof Thresholds)[]) {
      for (const v of CANDIDATES[key]) {
        const t = { ...best.t, [key]: v };
        const r = cost(items, t);
        if (r.cost < best.cost - 1e-9) {
          best = { t, ...r };
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  const fmt = (r: Cost): string =>
    `cost ${r.cost.toFixed(1)}, accuracy ${(r.accuracy * 100).toFixed(1)}%, complaints sent away ${r.away}/${r.complaints}`;
  process.stdout.write(
    `out-of-fold items: ${items.length}\ncurrent: ${fmt(initial)}\nbest:    ${fmt(best)}\n${JSON.stringify(best.t, null, 2)}\n`,
  );
}

if (require.main === module) main();
