/** Dialog and prompt ids, declared once. */
export const MAIN_DIALOG = 'mainDialog';
export const MAIN_WATERFALL = 'mainWaterfall';
export const INTAKE_DIALOG = 'intakeDialog';
export const ROUTE_DIALOG = 'routeDialog';
export const WHEN_DIALOG = 'whenDialog';
export const CONTACT_DIALOG = 'contactDialog';
export const CALLBACK_DIALOG = 'callbackDialog';
export const SUMMARY_DIALOG = 'summaryDialog';
export const ASK_PROMPT = 'askPrompt';
export const WATERFALL = 'waterfall';
export const PLACE_DIALOG = 'placeDialog';
export const PERSON_DIALOG = 'personDialog';
export const SOLUTION_DIALOG = 'solutionDialog';
export const DETAILS_DIALOG = 'detailsDialog';
