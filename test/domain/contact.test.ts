import { checkCity, checkEmail, checkName, checkPhone, checkPostcode, checkStreet, formatPhone } from '../../src/domain/contact';
import { ContactSchema, Fields } from '../../src/domain/complaint';

test.each([
  ['1182 JR', '1182 JR'],
  ['1182jr', '1182 JR'],
  [' 1015  cj ', '1015 CJ'],
])('postcode %s is normalised to %s', (input, expected) => {
  expect(checkPostcode(input)).toEqual({ ok: true, value: expected });
});

test.each([
  ['0182 JR', 'format'],
  ['1182 SA', 'format'],
  ['1182 SD', 'format'],
  ['1182 SS', 'format'],
  ['1182', 'noLetters'],
  ['11823 JR', 'format'],
  ['AB 1182', 'format'],
])('postcode %s is refused (%s)', (input, reason) => {
  expect(checkPostcode(input)).toEqual({ ok: false, reason });
});

test('phone numbers are validated with libphonenumber and stored as E.164', () => {
  expect(checkPhone('06 12345678')).toEqual({ ok: true, value: '+31612345678' });
  expect(checkPhone('020-540 49 11')).toEqual({ ok: true, value: '+31205404911' });
  expect(checkPhone('+32 470 12 34 56')).toEqual({ ok: true, value: '+32470123456' });
  expect(checkPhone('0612')).toEqual({ ok: false, reason: 'tooShort' });
  expect(checkPhone('geen')).toEqual({ ok: false, reason: 'noDigits' });
  expect(checkPhone('0612345678901')).toEqual({ ok: false, reason: 'invalid' });
  expect(formatPhone('+31612345678')).toBe('06 12345678');
  expect(formatPhone('+32470123456')).toBe('+32 470 12 34 56');
});

test('names, streets, cities and e-mail', () => {
  expect(checkName('  Jan   de  Vries ')).toEqual({ ok: true, value: 'Jan de Vries' });
  expect(checkName("Zoë O'Neill-Öztürk").ok).toBe(true);
  expect(checkName('J')).toEqual({ ok: false, reason: 'tooShort' });
  expect(checkName('R2D2')).toEqual({ ok: false, reason: 'digits' });
  expect(checkStreet('Laan Nieuwer-Amstel 1').ok).toBe(true);
  expect(checkStreet('Keizersgracht 12-3 hs').ok).toBe(true);
  expect(checkStreet('Dorpsstraat')).toEqual({ ok: false, reason: 'noNumber' });
  expect(checkStreet('12')).toEqual({ ok: false, reason: 'noStreet' });
  expect(checkCity("'s-Hertogenbosch").ok).toBe(true);
  expect(checkCity('1182')).toEqual({ ok: false, reason: 'digits' });
  expect(checkCity('A')).toEqual({ ok: false, reason: 'tooShort' });
  expect(checkEmail(' Jan@Example.NL ')).toEqual({ ok: true, value: 'jan@example.nl' });
  expect(checkEmail('jan.example.nl')).toEqual({ ok: false, reason: 'noAt' });
  expect(checkEmail('jan@')).toEqual({ ok: false, reason: 'invalid' });
});

test('the one schema normalises and refuses the same way the dialogs do', () => {
  const parsed = ContactSchema.parse({ name: 'Jan', phone: '0612345678', street: 'Dorpsstraat 1', postcode: '1182jr', city: 'Amstelveen', email: null });
  expect(parsed).toEqual({ name: 'Jan', phone: '+31612345678', street: 'Dorpsstraat 1', postcode: '1182 JR', city: 'Amstelveen', email: null });
  const bad = ContactSchema.safeParse({ name: 'Jan', phone: '12', street: 'x', postcode: '0000', city: 'A', email: 'nope' });
  expect(bad.success).toBe(false);
  expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(['city', 'email', 'phone', 'postcode', 'street']);
  expect(Fields.story.safeParse('kort').success).toBe(false);
});
