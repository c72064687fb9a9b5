import { detectHandlingComplaint } from '../../src/routing/rules';

describe('rule: complaints about how something filed is handled', () => {
  const complaintsNl = [
    'Ik heb de lantaarnpaal al drie keer gemeld in Fixi en niemand reageert',
    'Mijn bezwaarschrift ligt er al vijf maanden, de beslistermijn is allang verstreken',
    'Ik wacht al tien weken op een reactie op mijn aanvraag voor huishoudelijke hulp',
    'Mijn melding is zonder reden afgesloten',
    'Over mijn schadeclaim heb ik nooit meer iets gehoord',
    'Mijn Wmo-aanvraag voor thuiszorg: al 10 weken geen reactie van de gemeente',
    'Ik heb een melding gedaan en hoor sindsdien niks meer',
    'Mijn bezwaar is ontvangen, daarna niets meer',
    'Ze beslissen maar niet op mijn bezwaar',
    'Ik heb drie keer een melding in Fixi gedaan en krijg nooit een reactie',
    'Mijn melding is als opgelost afgesloten maar er is niks gebeurd',
  ];
  const complaintsEn = [
    'I reported the lamp post in Fixi three times and nobody responds',
    'My objection was filed in March and I still have no decision',
    'I sent two emails about my application and never got a reply',
    'My report was closed without any explanation',
    'I filed a damage claim in May and have not heard anything since',
    'My objection has still not been decided',
    'My Fixi report was marked as resolved but nothing was done',
  ];
  const notHandling: [string, 'nl' | 'en'][] = [
    ['Ik heb een klacht over de lantaarnpaal, die is kapot', 'nl'],
    ['De WOZ-waarde van mijn huis is te hoog', 'nl'],
    ['De thuiszorg reageert niet op mijn mail', 'nl'], // a care provider, not the gemeente
    ['De taxichauffeur was onbeschoft', 'nl'], // nothing filed
    ['My neighbours got a building permit and I disagree', 'en'],
    ['The home care organisation does not respond to my emails', 'en'],
    ['Hoe dien ik een bezwaarschrift in?', 'nl'],
    ['Kan ik nog bezwaar maken als de termijn van zes weken voorbij is?', 'nl'],
    ['Can I still file an objection if the six week period has passed?', 'en'],
  ];

  it.each(complaintsNl)('nl: %s', (text) => {
    expect(detectHandlingComplaint(text, 'nl')).toBeDefined();
  });
  it.each(complaintsEn)('en: %s', (text) => {
    expect(detectHandlingComplaint(text, 'en')).toBeDefined();
  });
  it.each(notHandling)('not a handling complaint: %s', (text, locale) => {
    expect(detectHandlingComplaint(text, locale)).toBeUndefined();
  });

  it('reports what it matched', () => {
    expect(detectHandlingComplaint('Mijn melding in Fixi: nog steeds geen reactie', 'nl')).toEqual({
      filed: 'melding',
      failure: expect.stringMatching(/geen reactie|nog steeds geen/),
    });
  });

  it('ignores case and accents', () => {
    expect(detectHandlingComplaint('MIJN BEZWAAR: NOOIT GEREAGEERD', 'nl')).toBeDefined();
    expect(detectHandlingComplaint('Mijn méldìng: niemand reageert', 'nl')).toBeDefined();
  });
});
