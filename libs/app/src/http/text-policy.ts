/**
 * What text the API stores (docs/security.md, "Text policy"). Text reaches other people's
 * screens, terminals, logs, headers and file systems, so characters that change how other text
 * is shown are refused, not stored:
 *
 * - Single-line text (subjects, external ids, agency names, file names): no C0 control character
 *   (tab, CR and LF included: a subject is one line), no DEL, no C1 control character, and no
 *   bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), which make
 *   `‮fdp.exe` read as `exe.pdf`. Bidirectional *marks* (U+200E, U+200F, U+061C) stay: they are
 *   how right-to-left text is written correctly.
 * - Bodies (message, reply, application): tab, LF and CR LF line breaks are allowed; NUL, every
 *   other C0 control character (a lone CR, ESC of ANSI sequences, backspace), DEL and C1 are
 *   refused. Bidirectional controls are kept: they are legitimate in right-to-left text, and a
 *   body is shown as a block of text in its own direction, not spliced into a line of UI.
 *
 * Refusing (400 naming the field) rather than stripping keeps the rule that what the agency
 * sent is what is served and proven.
 */

const C0_C1 = '\\u0000-\\u001f\\u007f-\\u009f';
const BIDI_CONTROLS = '\\u202a-\\u202e\\u2066-\\u2069';

const LINE_FORBIDDEN = new RegExp(`[${C0_C1}${BIDI_CONTROLS}]`, 'u');
/** C0 except tab (U+0009) and LF (U+000A); CR only before LF; DEL; C1. */
const BODY_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/u;

export const LINE_TEXT_RULE = 'must not contain control characters (tab and line breaks included) or bidirectional overrides';
export const BODY_TEXT_RULE = 'must not contain NUL or control characters other than tab and line breaks';

export const isLineText = (text: string): boolean => !LINE_FORBIDDEN.test(text);
export const isBodyText = (text: string): boolean => !BODY_FORBIDDEN.test(text);
