/**
 * The attachment type allowlist (API.md: PDF, JPEG, PNG, plain text, Office and OpenDocument).
 * Each declared media type names the content check it must pass (see content-check.ts), so a
 * file is accepted only when its bytes agree with what the uploader says it is.
 */

/** How the content of an allowed type is recognised. */
export type ContentFamily =
  | { readonly kind: 'pdf' }
  | { readonly kind: 'jpeg' }
  | { readonly kind: 'png' }
  | { readonly kind: 'text' }
  /** Office 2007+ (docx/xlsx/pptx): a ZIP package whose parts live under `word/`, `xl/` or `ppt/`. */
  | { readonly kind: 'ooxml'; readonly partDirectory: 'word' | 'xl' | 'ppt' }
  /** Office 97–2003 (doc/xls/ppt): an OLE2 compound file. */
  | { readonly kind: 'ole2' }
  /** OpenDocument (odt/ods/odp): a ZIP whose first entry `mimetype` holds the media type itself. */
  | { readonly kind: 'odf' };

export const ALLOWED_TYPES: Readonly<Record<string, ContentFamily>> = {
  'application/pdf': { kind: 'pdf' },
  'image/jpeg': { kind: 'jpeg' },
  'image/png': { kind: 'png' },
  'text/plain': { kind: 'text' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'ooxml', partDirectory: 'word' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'ooxml', partDirectory: 'xl' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'ooxml', partDirectory: 'ppt' },
  'application/msword': { kind: 'ole2' },
  'application/vnd.ms-excel': { kind: 'ole2' },
  'application/vnd.ms-powerpoint': { kind: 'ole2' },
  'application/vnd.oasis.opendocument.text': { kind: 'odf' },
  'application/vnd.oasis.opendocument.spreadsheet': { kind: 'odf' },
  'application/vnd.oasis.opendocument.presentation': { kind: 'odf' },
};

/** Character sets accepted for text/plain; a missing charset means UTF-8. */
export const TEXT_CHARSETS = ['utf-8', 'us-ascii', 'iso-8859-1', 'iso-8859-15', 'windows-1252'] as const;
export type TextCharset = (typeof TEXT_CHARSETS)[number];

export interface DeclaredType {
  /** Lower-case `type/subtype`. */
  readonly mediaType: string;
  readonly family: ContentFamily;
  /** text/plain only. */
  readonly charset?: TextCharset;
  /** What is stored and served back as Content-Type. */
  readonly contentType: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * The declared Content-Type, if it is on the allowlist. Parameters other than a text charset
 * are ignored; anything unparsable, unknown or with an unsupported charset gives null (→ 415).
 */
export function declaredType(header: string | undefined): DeclaredType | null {
  if (header === undefined) return null;
  const [essence = '', ...parameters] = header.split(';');
  const mediaType = essence.trim().toLowerCase();
  const [type, subtype, ...more] = mediaType.split('/');
  if (!type || !subtype || more.length > 0 || !TOKEN.test(type) || !TOKEN.test(subtype)) return null;
  const family = Object.prototype.hasOwnProperty.call(ALLOWED_TYPES, mediaType) ? ALLOWED_TYPES[mediaType] : undefined;
  if (!family) return null;
  if (family.kind !== 'text') return { mediaType, family, contentType: mediaType };
  const charset = charsetOf(parameters);
  if (charset === null) return null;
  return { mediaType, family, charset, contentType: `text/plain; charset=${charset}` };
}

function charsetOf(parameters: readonly string[]): TextCharset | null {
  let charset: string = 'utf-8';
  for (const parameter of parameters) {
    const [name = '', ...value] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    charset = value.join('=').trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  if (charset === 'utf8') charset = 'utf-8';
  return (TEXT_CHARSETS as readonly string[]).includes(charset) ? (charset as TextCharset) : null;
}
