import { RECOGNISED_ROUTES } from '../../src/domain/routes';
import { DEFAULT_THRESHOLDS, decide, rank, routeConfidence } from '../../src/routing/decision';
import type { RouteScores } from '../../src/routing/model';

function scores(partial: Partial<RouteScores>): RouteScores {
  const s = {} as RouteScores;
  for (const r of RECOGNISED_ROUTES) s[r] = partial[r] ?? 0;
  return s;
}

describe('decide (threshold on the model activations)', () => {
  it('answers unclear with full confidence when the model saw no evidence at all', () => {
    expect(decide(scores({}))).toMatchObject({ route: 'unclear', confidence: 1, reason: 'no-evidence' });
  });

  it('sends a message elsewhere when the referral route is strong and far ahead of complaint', () => {
    const d = decide(scores({ report: 0.9, complaint: 0.05 }));
    expect(d.route).toBe('report');
    expect(d.reason).toBe('referral-sure');
    expect(d.confidence).toBeGreaterThan(0.8);
  });

  it('keeps a complaint when a referral route leads but not by the required margin', () => {
    // report leads, but complaint is close: never send a possible complaint away.
    const d = decide(scores({ report: 0.6, complaint: 0.45 }));
    expect(d.route).toBe('complaint');
    expect(d.reason).toBe('referral-unsure-complaint');
  });

  it('answers unclear when no referral dominates and there is no complaint evidence either', () => {
    const d = decide(scores({ report: 0.3, objection: 0.29, damage: 0.28 }));
    expect(d.route).toBe('unclear');
    expect(d.reason).toBe('referral-unsure-unclear');
  });

  it('chooses complaint when it is the top route with enough activation', () => {
    expect(decide(scores({ complaint: 0.8, report: 0.1 }))).toMatchObject({ route: 'complaint', reason: 'complaint-top' });
  });

  it('answers unclear when complaint is on top but barely activated (short ambiguous message)', () => {
    expect(decide(scores({ complaint: DEFAULT_THRESHOLDS.complaintMin / 2 })).route).toBe('unclear');
  });

  it('follows the trained unclear class unless complaint is strongly activated too', () => {
    expect(decide(scores({ unclear: 0.9, complaint: 0.1 })).route).toBe('unclear');
    expect(decide(scores({ unclear: 0.9, complaint: 0.85 })).route).toBe('complaint');
  });

  it('applies the referral rules to every non-complaint route alike', () => {
    for (const route of ['objection', 'tax-objection', 'report', 'damage', 'care', 'other'] as const) {
      expect(decide(scores({ [route]: 1, complaint: 0 })).route).toBe(route);
      expect(decide(scores({ [route]: 0.5, complaint: 0.4 })).route).toBe('complaint');
    }
  });

  it('honours custom thresholds', () => {
    const s = scores({ other: 0.5, complaint: 0.15 });
    expect(decide(s, { ...DEFAULT_THRESHOLDS, referralMin: 0.9 }).route).not.toBe('other');
    expect(decide(s, { ...DEFAULT_THRESHOLDS, referralMin: 0, referralMargin: 0, referralLead: 0, referralShare: 0 }).route).toBe('other');
  });

  it('reports confidences between 0 and 1 and ranks deterministically', () => {
    const s = scores({ complaint: 1.3, report: 0.2 });
    expect(routeConfidence(s, 'complaint')).toBeLessThanOrEqual(1);
    expect(routeConfidence(s, 'care')).toBe(0);
    expect(rank(scores({}))[0]).toBe('complaint');
    for (const c of [decide(s), decide(scores({ report: 2 })), decide(scores({ unclear: 0.01 }))]) {
      expect(c.confidence).toBeGreaterThanOrEqual(0);
      expect(c.confidence).toBeLessThanOrEqual(1);
    }
  });
});
