/**
 * Decides whether the story is a complaint or belongs to another procedure. A recogniser decides
 * when it is confident; otherwise (or without one) the citizen picks the situation with buttons.
 * A referral explains why, gives the link, and asks whether it is also about how the citizen was
 * treated: then the intake continues with the story kept.
 * Result: `{ continue: boolean }`.
 */
import { ComponentDialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { MessageFactory } from 'botbuilder';
import { ROUTES, type Route } from '../src/domain/routes';
import type { Municipality } from '../src/municipality';
import { ASK_PROMPT, ROUTE_DIALOG, WATERFALL } from './ids';
import { ask, AskPrompt, yesNo, type Answer, type ChoiceSpec } from './prompts';
import { facts, type DialogServices } from './services';
import { tr, turnLocale } from './turn';

const ROUTE_CHOICES: ChoiceSpec[] = ROUTES.map((r) => ({ value: r, key: `route.choice.${r}` }));

export function referralLink(m: Municipality, route: Exclude<Route, 'complaint'>): string {
  const urls: Record<Exclude<Route, 'complaint'>, string> = {
    objection: m.urls.objection,
    'tax-objection': m.urls.taxObjection,
    report: m.urls.report,
    damage: m.urls.damage,
    care: m.urls.care,
    other: m.urls.contact,
  };
  return urls[route];
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
    const classifier = this.services.classifier;
    if (classifier && draft.story) {
      const result = await classifier.classify(draft.story, turnLocale(step.context));
      if (result.route !== 'unclear') return step.next({ choice: result.route } satisfies Partial<Answer>);
    }
    return ask(step, ASK_PROMPT, { key: 'route.ask', choices: ROUTE_CHOICES });
  }

  private async referStep(step: WaterfallStepContext) {
    const route = (step.result as Answer).choice as Route;
    const draft = await this.services.drafts.get(step.context);
    draft.route = route;
    if (route === 'complaint') return step.endDialog({ continue: true });
    const t = tr(step.context);
    const m = this.services.municipality;
    await step.context.sendActivity(
      MessageFactory.text(
        t(`route.referral.${route}`, { ...facts(m, step.context), url: referralLink(m, route), fixiUrl: m.urls.fixi }),
      ),
    );
    return ask(step, ASK_PROMPT, {
      key: 'route.alsoComplaint',
      choices: yesNo({ yes: 'route.alsoComplaintYes', no: 'route.alsoComplaintNo' }),
    });
  }

  private async alsoComplaintStep(step: WaterfallStepContext) {
    if ((step.result as Answer).choice === 'yes') {
      await step.context.sendActivity(tr(step.context)('route.continueIntake'));
      return step.endDialog({ continue: true });
    }
    await step.context.sendActivity(tr(step.context)('route.goodbye', facts(this.services.municipality, step.context)));
    return step.endDialog({ continue: false });
  }
}
