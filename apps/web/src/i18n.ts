import { LANGUAGES, type Language } from './texts';

export * from './texts';

const STORAGE_KEY = 'asiointitili.language';

/** The person's choice, remembered in this browser (a preference, not a credential); else the browser's language. */
export function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  const stored = safeStorage()?.getItem(STORAGE_KEY);
  const browser = navigator.language.slice(0, 2);
  return [fromUrl, stored, browser].find((l): l is Language => LANGUAGES.includes(l as Language)) ?? 'fi';
}

export function rememberLanguage(language: Language): void {
  safeStorage()?.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
