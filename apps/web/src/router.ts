import { useEffect, useState } from 'react';

/** The front end's pages; the server answers the page for each (libs/app/src/web/static-web.ts, WEB_ROUTES). */
export type Route =
  | { readonly page: 'inbox' }
  | { readonly page: 'message'; readonly id: string }
  | { readonly page: 'applications' }
  | { readonly page: 'new-application' }
  | { readonly page: 'application'; readonly id: string }
  | { readonly page: 'account' }
  | { readonly page: 'not-found' };

export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'inbox' };
  if (pathname === '/account') return { page: 'account' };
  if (pathname === '/applications') return { page: 'applications' };
  if (pathname === '/applications/new') return { page: 'new-application' };
  const message = /^\/messages\/([^/]+)$/.exec(pathname);
  if (message) return { page: 'message', id: decodeURIComponent(message[1]) };
  const application = /^\/applications\/([^/]+)$/.exec(pathname);
  if (application) return { page: 'application', id: decodeURIComponent(application[1]) };
  return { page: 'not-found' };
}

const listeners = new Set<() => void>();

export function navigate(to: string): void {
  history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
}

export function useLocation(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** A plain link that navigates inside the app on a plain click (new tab and the like still work). */
export function onLinkClick(event: React.MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
