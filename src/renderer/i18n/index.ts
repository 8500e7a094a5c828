// i18next set-up for the renderer: English and Korean resources, the starting
// language from the saved choice or the system locale, and the switch that saves it.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ko from './ko.json';
import { type Language, languageStorageKey, pickLanguage } from './language';

/** resources holds every UI string, one namespace per language. */
export const resources = { en: { translation: en }, ko: { translation: ko } } as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

function savedLanguage(): string | null {
  try {
    return window.localStorage.getItem(languageStorageKey);
  } catch {
    // Storage can be switched off; the system locale still works.
    return null;
  }
}

/** initI18n starts i18next in the language the person saved or their system speaks. */
export async function initI18n(): Promise<typeof i18next> {
  const locales = navigator.languages?.length ? navigator.languages : [navigator.language];
  const lng = pickLanguage(savedLanguage(), locales);
  await i18next.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: 'en',
    // React escapes what it renders, so i18next must not escape a second time.
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

/** setLanguage switches the UI language and remembers the choice in localStorage. */
export async function setLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    window.localStorage.setItem(languageStorageKey, language);
  } catch {
    // Without storage the choice lasts until the window closes, which is acceptable.
  }
}
