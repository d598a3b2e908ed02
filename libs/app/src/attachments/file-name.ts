/**
 * File names come from the uploader and go back out in a Content-Disposition header, onto other
 * people's disks. What is kept is a plain last path segment that every common file system takes.
 */

/** Most file systems allow 255 bytes for a name. */
export const MAX_FILE_NAME_BYTES = 255;
/** A raw `?name=` longer than this is refused outright, not trimmed. */
export const MAX_RAW_FILE_NAME = 1024;

/**
 * Control characters (C0, DEL, C1), and the invisible format characters that can disguise a
 * name (bidirectional overrides make `fdp.exe` read as `exe.pdf`; zero-width ones hide text).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/gu;
/** Reserved on Windows; `"` would also end the header's quoted fallback. */
const RESERVED = /[<>:"|?*]/g;

/**
 * The name to store: the last segment after any `/` or `\` (so no path survives), without
 * invisible characters, Windows-reserved characters replaced by `_`, without leading dots (no
 * hidden files) and trailing dots or spaces (Windows drops them), NFC-normalised, and cut to
 * 255 UTF-8 bytes keeping a short extension. Returns '' when nothing usable is left.
 */
export function sanitiseFileName(raw: string): string {
  const segment = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const visible = segment.replace(INVISIBLE, '').replace(RESERVED, '_');
  const trimmed = visible.trim().replace(/^\.+/, '').replace(/[. ]+$/, '').trim();
  return truncateKeepingExtension(trimmed, MAX_FILE_NAME_BYTES);
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = name.slice(0, name.length - extension.length);
  return cutToBytes(stem, maxBytes - Buffer.byteLength(extension, 'utf8')).trimEnd() + extension;
}

/** The longest prefix of whole code points that fits in `maxBytes` of UTF-8. */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let cut = '';
  for (const character of text) {
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > maxBytes) break;
    cut += character;
  }
  return cut;
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 and
 * RFC 8187): `attachment` so a browser saves rather than renders it, the fallback for old clients
 * with accents stripped and anything else outside printable ASCII (and `"`, `\`, `%`) as `_`.
 */
export function contentDisposition(name: string): string {
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeExtValue(name)}`;
}

function asciiFallback(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return ascii.trim() === '' ? 'attachment' : ascii;
}

/** RFC 8187 attr-char: encodeURIComponent leaves `'()*` and `!` as they are; only `!` is an attr-char. */
function encodeExtValue(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
