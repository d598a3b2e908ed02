import type { Request, Response } from 'express';

/** One cookie's value from the request's Cookie header (no cookie-parser middleware: two cookies are all this service reads). */
export function cookieOf(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export interface CookieOptions {
  readonly secure: boolean;
  readonly path: string;
  readonly maxAgeSeconds?: number;
}

/** httpOnly, SameSite=Lax (the sign-in comes back from the provider by a top-level navigation), Secure unless plain-http localhost. */
export function setCookie(response: Response, name: string, value: string, options: CookieOptions): void {
  response.cookie(name, value, {
    httpOnly: true,
    secure: options.secure,
    sameSite: 'lax',
    path: options.path,
    ...(options.maxAgeSeconds === undefined ? {} : { maxAge: options.maxAgeSeconds * 1000 }),
  });
}

export function clearCookie(response: Response, name: string, options: CookieOptions): void {
  response.clearCookie(name, { httpOnly: true, secure: options.secure, sameSite: 'lax', path: options.path });
}
