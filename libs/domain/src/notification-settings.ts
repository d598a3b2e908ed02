/**
 * What an agency may say about its own message's notices (API.md: `notification`): reminders on
 * or off, and the notice's own short text per language. A notice tells the person that something
 * arrived and nothing more (13/2003 and Suomi.fi Messages practice, and a notice with a link is
 * what phishing looks like): so the text may carry no link, no address and no content.
 */
import type { Language } from './events';

export interface NotificationSettings {
  /** false: no reminders (unread, unacknowledged, reply-by); the arrival notice still goes out. */
  readonly reminders: boolean;
  /** The notice's own text per language, in place of the standard one. */
  readonly text?: { readonly [L in Language]?: string };
}

export const MAX_NOTICE_TEXT = 160;
const LANGUAGES: readonly Language[] = ['fi', 'sv', 'en'];

/** A scheme, a `www.` host, a bare domain with a common top-level domain, an email address or a control character. */
const LINK_OR_ADDRESS = /[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b[a-z0-9-]+\.(?:fi|ax|se|com|net|org|eu|info|io|app|ly|me|co|link|site|online)\b|@|[\u0000-\u001f\u007f]/i;

/** Why a notice text may not be used, or undefined when it may. `content` is what it must not repeat. */
export function noticeTextProblem(text: string, content: { readonly subject: string; readonly body: string }): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || [...text].length > MAX_NOTICE_TEXT) return `a notice text is 1..${MAX_NOTICE_TEXT} characters`;
  if (LINK_OR_ADDRESS.test(text)) return 'a notice text may carry no link, address or control character';
  const lower = trimmed.toLowerCase();
  const subject = content.subject.trim().toLowerCase();
  const opening = content.body.trim().slice(0, 40).toLowerCase();
  if ((subject.length >= 4 && lower.includes(subject)) || (opening.length >= 20 && lower.includes(opening))) {
    return 'a notice text may not repeat the message’s subject or content';
  }
  return undefined;
}

/** The first problem of the settings, naming the language, or undefined. */
export function notificationSettingsProblem(settings: NotificationSettings, content: { readonly subject: string; readonly body: string }): string | undefined {
  if (typeof settings.reminders !== 'boolean') return 'notification.reminders must be true or false';
  for (const [language, text] of Object.entries(settings.text ?? {})) {
    if (!LANGUAGES.includes(language as Language)) return `notification.text has no language ${JSON.stringify(language)} (fi, sv, en)`;
    if (typeof text !== 'string') return `notification.text.${language} must be a string`;
    const problem = noticeTextProblem(text, content);
    if (problem) return `notification.text.${language}: ${problem}`;
  }
  return undefined;
}
