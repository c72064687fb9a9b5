/** Every text of the chat page, in Dutch and English. Placeholders: {name}, {phone}, {hours}. */
export const PAGE_TEXTS = {
  nl: {
    docTitle: 'Klacht indienen | {name}',
    skip: 'Naar de chat',
    langNav: 'Taal',
    /** the switch shows the other language, in that language */
    switchTo: 'English',
    title: 'Klacht indienen',
    intro:
      'Bent u ontevreden over hoe de gemeente u heeft behandeld? Vertel het in deze chat. Uw klacht gaat daarna naar een klachtenfunctionaris.',
    botNotice: 'U chat met een computerprogramma, niet met een mens.',
    humanLead: 'Praat u liever met een mens? Bel',
    humanHours: '({hours}).',
    chatLabel: 'Chat met de digitale assistent',
    loading: 'De chat wordt geladen…',
    unavailable: 'De chat werkt op dit moment niet. Probeer het later opnieuw, of bel {phone}.',
    noscript: 'Voor deze chat is JavaScript nodig. U kunt ook bellen: {phone}.',
    privacyLead: 'Wat doen wij met uw gegevens?',
    privacyLink: 'Lees de privacyverklaring',
    footerContact: 'Contact met {name}',
    languageCommand: 'Nederlands',
  },
  en: {
    docTitle: 'File a complaint | {name}',
    skip: 'Skip to the chat',
    langNav: 'Language',
    switchTo: 'Nederlands',
    title: 'File a complaint',
    intro:
      'Are you unhappy about how the municipality treated you? Tell us in this chat. Your complaint then goes to a complaints officer.',
    botNotice: 'You are chatting with a computer program, not a person.',
    humanLead: 'Would you rather talk to a person? Call',
    humanHours: '({hours}).',
    chatLabel: 'Chat with the digital assistant',
    loading: 'Loading the chat…',
    unavailable: 'The chat does not work at the moment. Please try again later, or call {phone}.',
    noscript: 'This chat needs JavaScript. You can also call: {phone}.',
    privacyLead: 'What do we do with your data?',
    privacyLink: 'Read the privacy statement (in Dutch)',
    footerContact: 'Contact {name}',
    languageCommand: 'English',
  },
} as const;

export type PageLang = keyof typeof PAGE_TEXTS;
export type PageTextKey = keyof (typeof PAGE_TEXTS)['nl'];
