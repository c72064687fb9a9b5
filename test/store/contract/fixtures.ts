/** What the contract tests file. */
import type { ComplaintInput, Origin } from '../../../src/domain/complaint';

export const input: ComplaintInput = {
  route: 'complaint',
  story: 'Ik ben drie keer doorverbonden en niemand kon mij helpen met mijn vraag over het paspoort.',
  incidentDate: '2026-11-17',
  incidentDateText: 'vorige week dinsdag',
  placeKind: 'phone',
  place: 'Aan de telefoon',
  personKind: null,
  person: null,
  solution: null,
  contact: { name: 'Jan Jansen', phone: '0612345678', street: 'Dorpsstraat 12', postcode: '1182jr', city: 'Amstelveen', email: null },
  callback: null,
};
export const origin: Origin = { locale: 'nl', channel: 'test', conversationId: 'c1' };
