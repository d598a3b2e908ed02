import { useEffect, useRef, type ReactNode } from 'react';
import { Heading } from 'suomifi-ui-components';
import { useApp } from './context';

/**
 * A page's heading and title: the document title names the page, and after navigation focus moves
 * to the heading so a screen-reader or keyboard user starts at the new content.
 */
export function PageHeading({ children, title }: { readonly children: ReactNode; readonly title: string }) {
  const { t } = useApp();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – ${t.service}`;
  }, [title, t.service]);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <Heading variant="h1" tabIndex={-1} ref={ref} className="page-heading">
      {children}
    </Heading>
  );
}
