/**
 * The product's own API, called with the session cookie (the server adds the bearer token; the
 * browser never sees one). Writes carry the session's CSRF token. Errors are problem+json.
 */

export interface Problem {
  readonly status: number;
  readonly type?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly errors?: readonly { readonly field?: string; readonly property?: string; readonly message?: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

export interface Session {
  readonly signedIn: boolean;
  readonly csrfToken?: string;
  readonly acr?: 'substantial' | 'high';
  readonly amr?: 'bank' | 'mobile' | 'idcard';
  readonly consentPolicy?: 'consent' | 'digital-by-default';
}

let csrfToken: string | undefined;
let onSignedOut: () => void = () => undefined;

export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export async function loadSession(): Promise<Session> {
  const answer = await fetch('/auth/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const session = (await answer.json()) as Session;
  csrfToken = session.csrfToken;
  return session;
}

export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: csrfToken ? { 'X-CSRF-Token': csrfToken } : {} });
  csrfToken = undefined;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const answer = await fetch(path, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return answerOf<T>(answer);
}

async function answerOf<T>(answer: Response): Promise<T> {
  const text = await answer.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!answer.ok) {
    if (answer.status === 401) onSignedOut();
    throw new ApiError({ status: answer.status, ...(typeof json === 'object' && json !== null ? (json as object) : {}) });
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => call<T>('PUT', path, body),
  del: <T>(path: string) => call<T>('DELETE', path),
};

export interface UploadedAttachment {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
}

/** Uploads one file as the raw body, reporting progress (XMLHttpRequest: fetch has no upload progress). */
export function upload(file: File, onProgress: (fraction: number) => void): Promise<UploadedAttachment> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/v1/attachments?name=${encodeURIComponent(file.name)}`);
    request.withCredentials = true;
    request.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    if (csrfToken) request.setRequestHeader('X-CSRF-Token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const json: unknown = request.responseText ? JSON.parse(request.responseText) : {};
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(json as UploadedAttachment);
      } else {
        if (request.status === 401) onSignedOut();
        reject(new ApiError({ status: request.status, ...(json as object) }));
      }
    };
    request.onerror = () => reject(new ApiError({ status: 0, detail: 'network' }));
    request.send(file);
  });
}

export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

export type MessageState = 'unread' | 'read' | 'acknowledged' | 'paper';

export interface InboxItem {
  readonly id: string;
  readonly agencyId: string;
  readonly kind: 'decision' | 'notice' | 'information-request' | 'general';
  readonly delivery: 'ordinary' | 'registered';
  readonly subject: string;
  readonly state: MessageState;
  readonly sentAt: string;
  readonly deemedServedAt?: string;
  readonly acknowledgedAt?: string;
}

export interface Attachment {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly url: string;
}

export interface MessageView extends InboxItem {
  readonly replyAllowed: boolean;
  readonly body: string | null;
  readonly attachments: Attachment[] | null;
  readonly acknowledgementRequired?: boolean;
  readonly acknowledgeBy?: string;
  readonly replyBy?: string;
  readonly appealEndsOn?: string;
}

export interface AccountView {
  readonly status: 'open' | 'closed';
  readonly language?: 'fi' | 'sv' | 'en';
  readonly email?: string;
  readonly phone?: string;
  readonly paperUntil?: string;
  readonly personalDataErasedAt?: string;
  readonly consents: readonly { readonly agencyId: string; readonly grantedAt: string }[];
}

export type ApplicationStatus = 'submitted' | 'in-progress' | 'information-requested' | 'information-provided' | 'decided';

export interface ApplicationSummary {
  readonly id: string;
  readonly agencyId: string;
  readonly subject: string;
  readonly submittedAt: string;
  readonly status: ApplicationStatus;
  readonly statusAt: string;
  readonly attachmentCount: number;
}

export interface ApplicationView extends Omit<ApplicationSummary, 'attachmentCount'> {
  readonly body: string;
  readonly attachments: readonly Attachment[];
  readonly threadId: string;
}

export type ThreadEntry =
  | { readonly type: 'application'; readonly id: string; readonly at: string; readonly subject: string; readonly body: string; readonly attachments: readonly Attachment[] }
  | { readonly type: 'message'; readonly id: string; readonly at: string; readonly subject: string; readonly delivery: string; readonly body: string | null; readonly attachments: readonly Attachment[] | null }
  | { readonly type: 'reply'; readonly id: string; readonly at: string; readonly body: string; readonly attachments: readonly Attachment[] };

export interface ThreadView {
  readonly id: string;
  readonly agencyId: string;
  readonly items: readonly ThreadEntry[];
  readonly next: string | null;
}
