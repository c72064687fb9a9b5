/**
 * Decides whether the story is a complaint or belongs to another procedure, from the routes the
 * understanding step found in the story. A story that is both a complaint and, say, a bezwaar is
 * taken as a complaint in the citizen's words, and the bot also gives the link of the other
 * procedure. A story that only belongs elsewhere gets a referral that explains why, gives the link,
 * and asks whether it is also about how the citizen was treated: whatever the citizen adds then is
 * kept with the story. When the understanding is unsure the citizen picks the situation with
 * buttons; a real complaint typed there instead is taken, not rejected.
 * Options: `{ routes?: Route[] }`. Result: `{ continue: boolean }`.
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { MessageFactory } from 'botbuilder';
import { Fields } from '../src/domain/complaint';
import { ROUTES, type Route } from '../src/domain/routes';
import type { Municipality } from '../src/municipality';
import { isIntentOnly } from './commands';
import { absorb, addToStory, type DraftField } from './draft';
import { ASK_PROMPT, ROUTE_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, isBareYesOrNo, matchChoice, yesNo, type Answer, type ChoiceSpec } from './prompts';
import { facts, origin, type DialogServices } from './services';
import { normalise } from './text';
import { notedItems, placeLabel } from './show';
import { say, tr, turnUnderstanding } from './turn';

const ROUTE_CHOICES: ChoiceSpec[] = ROUTES.map((r) => ({ value: r, key: `route.choice.${r}` }));
type Referral = Exclude<Route, 'complaint'>;

export function referralLink(m: Municipality, route: Referral): string {
  const urls: Record<Referral, string> = {
    objection: m.urls.objection,
    'tax-objection': m.urls.taxObjection,
    report: m.urls.report,
    damage: m.urls.damage,
    care: m.urls.care,
    other: m.urls.contact,
  };
  return urls[route];
}

/** Text that tells what happened (not just "ja", a button or "ik wil klagen"). */
function tellsAStory(text: string): boolean {
  return !isIntentOnly(text) && Fields.story.safeParse(text).success && normalise(text).split(' ').length >= 5;
}

export class RouteDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices) {
    super(ROUTE_DIALOG);
    this.addDialog(new AskPrompt(ASK_PROMPT));
    this.addDialog(
      new WaterfallDialog(WATERFALL, [
        this.classifyStep.bind(this),
        this.referStep.bind(this),
        this.alsoComplaintStep.bind(this),
      ]),
    );
    this.initialDialogId = WATERFALL;
  }

  private async classifyStep(step: WaterfallStepContext) {
    const draft = await this.services.drafts.get(step.context);
    // the routes the understanding step found in the story (it runs the route recogniser); none: the buttons
    const routes = (step.options as { routes?: Route[] } | undefined)?.routes;
    if (routes?.includes('complaint')) {
      draft.route = 'complaint';
      const other = routes.find((r): r is Referral => r !== 'complaint' && r !== 'other');
      if (other) await this.alsoElsewhere(step, other);
      return step.endDialog({ continue: true });
    }
    const route = routes?.find((r) => (ROUTES as readonly string[]).includes(r));
    if (route) return step.next({ text: '', choice: route } satisfies Answer);
    return ask(step, ASK_PROMPT, { key: 'route.ask', choices: ROUTE_CHOICES, freeText: true, asked: 'story' });
  }

  private async referStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    const draft = await this.services.drafts.get(step.context);
    if (!answer.choice) {
      // typed instead of a button: a complaint in the citizen's words is taken, with what they said before
      const u = turnUnderstanding(step.context);
      if (tellsAStory(answer.text) && (u.routes === undefined || u.routes.length === 0 || u.routes.includes('complaint'))) {
        addToStory(draft, answer.text);
        const noted = absorb(draft, u.fields, { placeLabel: placeLabel(step.context) });
        draft.route = 'complaint';
        const other = u.routes?.find((r): r is Referral => r !== 'complaint' && r !== 'other');
        if (other) await this.alsoElsewhere(step, other);
        await say(step.context, 'route.taken');
        if (noted.length) await say(step.context, 'details.noted', { items: notedItems(step.context, draft, noted) });
        return step.endDialog({ continue: true });
      }
      const route = u.routes?.find((r): r is Referral => r !== 'complaint');
      if (route && tellsAStory(answer.text)) {
        addToStory(draft, answer.text);
        return this.refer(step, route);
      }
      // a second answer that fits no situation: taken as a complaint (sending a complaint away is the worst error)
      if ((step.options as { tries?: number } | undefined)?.tries) {
        draft.route = 'complaint';
        await say(step.context, 'route.unsure');
        return step.endDialog({ continue: true });
      }
      await say(step.context, 'errors.choice');
      return step.replaceDialog(WATERFALL, { routes: [], tries: 1 });
    }
    const route = answer.choice as Route;
    draft.route = route;
    if (route === 'complaint') return step.endDialog({ continue: true });
    return this.refer(step, route);
  }

  private async refer(step: WaterfallStepContext, route: Referral) {
    const draft = await this.services.drafts.get(step.context);
    draft.route = route;
    const t = tr(step.context);
    const m = this.services.municipality;
    // asked again after an unclear answer: the referral itself is not repeated
    if (!(step.options as { again?: boolean } | undefined)?.again) {
      await step.context.sendActivity(
        MessageFactory.text(t(`route.referral.${route}`, { ...facts(m, step.context), url: referralLink(m, route), fixiUrl: m.urls.fixi })),
      );
      await this.services.referrals?.record(route, origin(step.context));
    }
    return ask(step, ASK_PROMPT, {
      key: 'route.alsoComplaint',
      choices: yesNo({ yes: 'route.alsoComplaintYes', no: 'route.alsoComplaintNo' }),
      freeText: true,
      asked: 'story',
    });
  }

  private async alsoComplaintStep(step: WaterfallStepContext) {
    const answer = step.result as Answer;
    const draft = await this.services.drafts.get(step.context);
    const exact = matchChoice(answer.text, yesNo({ yes: 'route.alsoComplaintYes', no: 'route.alsoComplaintNo' }).map((c) => ({ ...c, exact: true })));
    let noted: DraftField[] = [];
    if (exact?.value === 'no' || (answer.choice === 'no' && !tellsAStory(answer.text))) {
      await step.context.sendActivity(tr(step.context)('route.goodbye', facts(this.services.municipality, step.context)));
      return step.endDialog({ continue: false });
    }
    if (!exact && !isBareYesOrNo(answer.text)) {
      if (!answer.choice && !tellsAStory(answer.text)) {
        // unclear twice: the intake goes on as a complaint (nothing is lost; the officer can still refer it)
        if (!(step.options as { again?: boolean } | undefined)?.again) {
          await say(step.context, 'errors.choice');
          return step.replaceDialog(WATERFALL, { routes: [draft.route ?? 'other'], again: true });
        }
      } else {
        // "ja, het is ook een klacht: niemand reageerde op mijn mails": that is the complaint, with the earlier text kept
        addToStory(draft, answer.text);
        noted = absorb(draft, turnUnderstanding(step.context).fields, { placeLabel: placeLabel(step.context) });
      }
    }
    await step.context.sendActivity(tr(step.context)('route.continueIntake'));
    // what the addition gave is said back at once (the summary is its confirmation)
    if (noted.length) await say(step.context, 'details.noted', { items: notedItems(step.context, draft, noted) });
    return step.endDialog({ continue: true });
  }

  /** A complaint that also belongs to another procedure: the complaint is taken, and the other link given too. */
  private async alsoElsewhere(step: WaterfallStepContext, route: Referral) {
    const draft = await this.services.drafts.get(step.context);
    draft.alsoRoute = route;
    const m = this.services.municipality;
    await say(step.context, `route.also.${route}`, { ...facts(m, step.context), url: referralLink(m, route), fixiUrl: m.urls.fixi });
    await this.services.referrals?.record(route, origin(step.context));
  }
}
