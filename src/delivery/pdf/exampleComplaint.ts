/**
 * A made-up complaint for previews (staff page: mail templates, letters) and tests. No real person:
 * the name, address, phone number (a Dutch fictional range, 06-12345678) and e-mail (example.org) are invented.
 */
import type { Complaint } from '../../domain/complaint';
import type { Locale } from '../../domain/routes';

export function exampleComplaint(locale: Locale = 'nl', overrides: Partial<Complaint> = {}): Complaint {
  const nl = locale === 'nl';
  return {
    id: 1,
    reference: 'KL-2026-VB1234',
    status: 'received',
    route: 'complaint',
    locale,
    channel: 'webchat',
    conversationId: 'voorbeeld',
    createdAt: '2026-11-24T09:41:00.000Z',
    updatedAt: '2026-11-24T09:41:00.000Z',
    story: nl
      ? 'Ik heb drie keer gebeld over mijn parkeervergunning. Elke keer werd beloofd dat iemand mij terugbelde, maar niemand belde.'
      : 'I called three times about my parking permit. Each time I was promised a call back, but nobody called.',
    incidentDate: null,
    incidentDateFrom: '2026-11-09',
    incidentDateTo: '2026-11-15',
    incidentDateText: nl ? 'vorige week' : 'last week',
    placeKind: 'phone',
    place: nl ? 'Aan de telefoon' : 'On the phone',
    personKind: 'department',
    person: nl ? 'afdeling Parkeren' : 'the parking department',
    solution: nl ? 'Dat iemand mij terugbelt en mijn vergunning regelt.' : 'That someone calls me back and sorts out my permit.',
    contact: {
      name: 'Sam de Voorbeeld',
      phone: '+31612345678',
      street: 'Voorbeeldstraat 1',
      postcode: '1234 AB',
      city: 'Amstelveen',
      email: 'sam@example.org',
    },
    callback: null,
    ...overrides,
  };
}
