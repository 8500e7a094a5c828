// Tests for choosing the UI language from a saved choice and the system locale.
import { describe, expect, it } from 'vitest';
import { isLanguage, pickLanguage } from './language';

describe('pickLanguage', () => {
  it('follows a Korean system locale in any spelling', () => {
    expect(pickLanguage(null, ['ko-KR'])).toBe('ko');
    expect(pickLanguage(null, ['ko'])).toBe('ko');
    expect(pickLanguage(null, ['ko_KR'])).toBe('ko');
  });

  it('uses the first system locale it speaks', () => {
    expect(pickLanguage(null, ['fr-FR', 'ko-KR', 'en-US'])).toBe('ko');
    expect(pickLanguage(null, ['en-GB', 'ko-KR'])).toBe('en');
  });

  it('falls back to English for locales it does not speak', () => {
    expect(pickLanguage(null, ['de-DE'])).toBe('en');
    expect(pickLanguage(undefined, [])).toBe('en');
  });

  it('keeps the language the person chose over the system locale', () => {
    expect(pickLanguage('en', ['ko-KR'])).toBe('en');
    expect(pickLanguage('ko', ['en-US'])).toBe('ko');
  });

  it('ignores a saved value it does not know', () => {
    expect(pickLanguage('klingon', ['ko-KR'])).toBe('ko');
    expect(isLanguage('klingon')).toBe(false);
  });
});
