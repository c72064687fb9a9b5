import { asName, extractContact } from '../../src/understanding/contact';

describe('extractContact', () => {
  test('several details in any order', () => {
    expect(extractContact('0687654321, Kees Visser, k.visser@xs4all.nl', 'name').fields).toEqual({
      phone: '+31687654321', name: 'Kees Visser', email: 'k.visser@xs4all.nl',
    });
  });
  test('a whole Dutch address, with or without commas', () => {
    expect(extractContact('Keizersgracht 100 1015 CV Amsterdam', 'address').fields).toEqual({
      street: 'Keizersgracht', houseNumber: '100', postcode: '1015 CV', city: 'Amsterdam',
    });
    expect(extractContact('Laan van Kronenburg 8', 'address').fields).toEqual({ street: 'Laan van Kronenburg', houseNumber: '8' });
    expect(extractContact('Van Heuven Goedhartlaan 21, 1181 LK', 'address').fields).toEqual({
      street: 'Van Heuven Goedhartlaan', houseNumber: '21', postcode: '1181 LK',
    });
  });
  test('address variants: additions, ordinals, town first, a slip around the @', () => {
    expect(extractContact('Keizersgracht 12-3 hs', 'address').fields).toEqual({ street: 'Keizersgracht', houseNumber: '12-3 HS' });
    expect(extractContact('1e Jan Steenstraat 45, Amsterdam', 'address').fields).toEqual({ street: '1e Jan Steenstraat', houseNumber: '45', city: 'Amsterdam' });
    expect(extractContact('1182HK Amstelveen Amsterdamseweg 120', 'address').fields).toEqual({
      street: 'Amsterdamseweg', houseNumber: '120', postcode: '1182 HK', city: 'Amstelveen',
    });
    expect(extractContact('1182-HK', 'postcode').fields).toEqual({ postcode: '1182 HK' });
    expect(extractContact('jan @ gmail.com', 'email').fields).toEqual({ email: 'jan@gmail.com' });
  });
  test('postcodes: normalised; lower-case letters only where asked or before a town', () => {
    expect(extractContact('1181ab', 'postcode').fields).toEqual({ postcode: '1181 AB' });
    expect(extractContact('in 2025 en daarna', undefined).fields).toEqual({});
    expect(extractContact('1234 SS', 'postcode').fields).toEqual({});
  });
  test('phones: Dutch without +, foreign with +, dates and postcodes are no phones', () => {
    expect(extractContact('bel 020 123 4567', 'phone').fields).toEqual({ phone: '+31201234567' });
    expect(extractContact('+44 20 7946 0958', 'phone').fields).toEqual({ phone: '+442079460958' });
    expect(extractContact('op 15-10-2025 om 10:30', undefined).fields).toEqual({});
    expect(extractContact('123', 'phone').fields).toEqual({});
  });
  test('in a story only unmistakable details count', () => {
    expect(extractContact('Ik heb 3 keer gebeld en 2 uur gewacht bij loket 4', undefined).fields).toEqual({});
    expect(extractContact('Groet, Anna de Wit', undefined).fields).toEqual({ name: 'Anna de Wit' });
  });
});

describe('asName', () => {
  test.each(['Jansen', 'Piet de Vries', 'Fatima el Idrissi', "Jan-Willem van 't Hof", 'K. Bos'])('%s is a name', (n) => {
    expect(asName(n)).toBe(n);
  });
  test.each([
    'Dat staat er allemaal al in mijn eerste bericht!!',
    'waarom wil je dat weten?',
    'weet ik niet',
    'ja',
    'ik wil een klacht indienen',
    'Jansen 12',
    'I already told you',
  ])('%s is not a name', (n) => {
    expect(asName(n)).toBeUndefined();
  });
  test('lead-in words are not part of the name', () => {
    expect(asName('mijn naam is Karin Bos')).toBe('Karin Bos');
    expect(asName("I'm John Miller")).toBe('John Miller');
  });
});
