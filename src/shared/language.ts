/** The wall screen's language: Chinese, English, or both side by side (config key `language`). */
export const LANGUAGES = ['zh', 'en', 'zh+en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'zh+en';

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}
