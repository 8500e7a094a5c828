// Which language the UI speaks: the person's saved choice, else the system locale.
// Pure functions, so the choice is testable without a browser.

/** supportedLanguages lists the UI languages, each named in its own language. */
export const supportedLanguages = [
  { code: 'en', name: 'English' },
  { code: 'ko', name: '한국어' },
] as const;

/** Language is the code of a supported UI language. */
export type Language = (typeof supportedLanguages)[number]['code'];

/** languageStorageKey is the localStorage key that remembers the chosen language. */
export const languageStorageKey = 'wheelhouse.language';

/** isLanguage tells whether a string is the code of a supported language. */
export function isLanguage(value: unknown): value is Language {
  return supportedLanguages.some((l) => l.code === value);
}

/**
 * pickLanguage chooses the UI language: a saved choice wins; otherwise the first
 * system locale we speak (any "ko" locale means Korean); English is the fallback.
 */
export function pickLanguage(saved: string | null | undefined, systemLocales: readonly string[]): Language {
  if (isLanguage(saved)) return saved;
  for (const locale of systemLocales) {
    const base = locale.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}
