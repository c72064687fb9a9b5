import { countryCode, formatAddress, parseAddress } from '../../src/understanding/address';

describe('an address on one line', () => {
  test.each([
    ['Bankrasweg 88, 1183 TR Amstelveen', { street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen' }],
    ['Bankrasweg 88 1183TR Amstelveen', { street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen' }],
    ['Jan Jansen, Dorpsstraat 12, 1182 JR Amstelveen', { street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen' }],
    ['Keizersgracht 12-3 hs, 1015 CS Amsterdam', { street: 'Keizersgracht 12-3 hs', postcode: '1015 CS', city: 'Amsterdam' }],
    ['mijn adres is Laan van Kronenburg 2 in Amstelveen', { street: 'Laan van Kronenburg 2', city: 'Amstelveen' }],
    ['1183 TR zei ik net', { postcode: '1183 TR' }],
    ['1183 TR Amstelveen', { postcode: '1183 TR', city: 'Amstelveen' }],
    ['Dorpsstraat 12a', { street: 'Dorpsstraat 12a' }],
  ])('%s', (text, parts) => {
    expect(parseAddress(text)).toEqual(parts);
  });

  test.each([
    ['Hauptstraße 5, 10115 Berlin, Duitsland', { street: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'Duitsland' }],
    ['Anna Müller, Hauptstraße 5, 10115 Berlin, Duitsland', { street: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'Duitsland' }],
    ['12 Rue de Rivoli, 75001 Paris, France', { street: '12 Rue de Rivoli', postcode: '75001', city: 'Paris', country: 'France' }],
    ['10 Downing Street, London SW1A 2AA, United Kingdom', { street: '10 Downing Street', postcode: 'SW1A 2AA', city: 'London', country: 'United Kingdom' }],
  ])('abroad: %s', (text, parts) => {
    expect(parseAddress(text)).toEqual(parts);
  });

  test('the Netherlands named as the country is no address abroad', () => {
    expect(parseAddress('Dorpsstraat 12, 1182 JR Amstelveen, Nederland')).toEqual({ street: 'Dorpsstraat 12', postcode: '1182 JR', city: 'Amstelveen' });
  });

  test('a lone word or a name is not an address', () => {
    expect(parseAddress('Amstelveen')).toEqual({});
    expect(parseAddress('Jan Jansen')).toEqual({});
  });

  test('country names in Dutch and English', () => {
    expect(countryCode('Duitsland')).toBe('DE');
    expect(countryCode('germany')).toBe('DE');
    expect(countryCode('België')).toBe('BE');
    expect(countryCode('Verenigd Koninkrijk')).toBe('GB');
    expect(countryCode('Amstelveen')).toBeUndefined();
  });
});

test('an address is shown with the town and postcode in the order of its country', () => {
  expect(formatAddress({ street: 'Bankrasweg 88', postcode: '1183 TR', city: 'Amstelveen' })).toBe('Bankrasweg 88, 1183 TR Amstelveen');
  expect(formatAddress({ street: 'Hauptstraße 5', postcode: '10115', city: 'Berlin', country: 'Duitsland' })).toBe('Hauptstraße 5, 10115 Berlin, Duitsland');
  expect(formatAddress({ street: '10 Baker Street', postcode: 'NW1 6XE', city: 'London', country: 'United Kingdom' })).toBe('10 Baker Street, London NW1 6XE, United Kingdom');
  expect(formatAddress({ street: '10 Baker Street', postcode: 'NW1 6XE', city: 'London', country: 'UK' })).toBe('10 Baker Street, London NW1 6XE, UK');
});
