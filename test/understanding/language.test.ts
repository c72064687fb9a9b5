import { detectUnsupportedLanguage } from '../../src/understanding/language';

describe('detectUnsupportedLanguage', () => {
  test.each([
    ['Merhaba, belediye hakkında şikayet etmek istiyorum', 'tr'],
    ['Dzień dobry, nie mówię po holendersku', 'pl'],
    ['أريد تقديم شكوى ضد البلدية', 'ar'],
    ['Hallo, ich spreche kein Niederländisch', 'de'],
    ['Bonjour, je ne parle pas néerlandais', 'fr'],
    ['Hola, quiero poner una queja', 'es'],
    ['Здравствуйте, я хочу подать жалобу', 'ru'],
    ['merhaba', 'tr'],
    ['Belediyeden şikayetçiyim', 'tr'],
    ['Je veux porter plainte', 'fr'],
    ['¿Habla español?', 'es'],
    ['Dobrý den, mám stížnost', 'cs'],
    ['Bună ziua, am o plângere', 'ro'],
    ['Доброго дня, я хочу поскаржитися', 'ru'],
    ['Добрий день, я не розмовляю нідерландською', 'uk'],
  ])('%s -> %s', (text, code) => {
    expect(detectUnsupportedLanguage(text)).toBe(code);
  });
  test.each([
    'De medewerker was onbeleefd en ik wil een klacht indienen',
    'The employee was rude and I want to file a complaint',
    'ok', 'ja', 'Jansen', 'Amstelveen', 'Bankrasweg 88, 1183 TR Amstelveen', 'hallo', '06-12345678',
    'Ik heb een klacht over de afdeling Burgerzaken, die mijn paspoort kwijt is',
    'Mevrouw El Amrani aan de balie', 'Café de Zon was dicht', 'Ik woon in de Rue de la Paix in Parijs maar de gemeente stuurt post naar mijn oude adres',
  ])('%s is Dutch or English', (text) => {
    expect(detectUnsupportedLanguage(text)).toBeUndefined();
  });
});

test('a short answer with foreign letters is not a language when it may be a name', () => {
  expect(detectUnsupportedLanguage('Łukasz Kowalski', { letters: false })).toBeUndefined();
  expect(detectUnsupportedLanguage('Jürgen Müller', { letters: false })).toBeUndefined();
  expect(detectUnsupportedLanguage('merhaba', { letters: false })).toBe('tr');
});
