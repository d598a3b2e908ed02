import { createContext, useContext } from 'react';
import type { Session } from './api';
import type { Language, Texts } from './i18n';

export interface AppContext {
  readonly language: Language;
  readonly t: Texts;
  readonly session: Session;
  setLanguage(language: Language): void;
}

export const App = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const context = useContext(App);
  if (!context) throw new Error('useApp outside the App provider');
  return context;
}
