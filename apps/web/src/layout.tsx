import type { ReactNode } from 'react';
import { Button, LanguageMenu, LanguageMenuItem } from 'suomifi-ui-components';
import { signOut } from './api';
import { useApp } from './context';
import { LANGUAGE_NAMES, LANGUAGES } from './i18n';
import { onLinkClick, useLocation } from './router';

export function Layout({ children, onSignedOut }: { readonly children: ReactNode; readonly onSignedOut: () => void }) {
  const { t, language, setLanguage, session } = useApp();
  const path = useLocation();
  const section = path.startsWith('/applications') ? 'applications' : path.startsWith('/account') ? 'account' : 'inbox';
  const links = [
    { href: '/', label: t.navInbox, key: 'inbox' },
    { href: '/applications', label: t.navApplications, key: 'applications' },
    { href: '/account', label: t.navAccount, key: 'account' },
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="site-header">
        <div className="header-row">
          <a className="brand" href="/" onClick={onLinkClick}>
            {t.service}
          </a>
          <div className="header-tools">
            <LanguageMenu buttonText={LANGUAGE_NAMES[language]} aria-label={t.languageMenuLabel}>
              {LANGUAGES.map((l) => (
                <LanguageMenuItem key={l} lang={l} selected={l === language} onSelect={() => setLanguage(l)}>
                  {LANGUAGE_NAMES[l]}
                </LanguageMenuItem>
              ))}
            </LanguageMenu>
            {session.signedIn && (
              <Button
                variant="secondaryNoBorder"
                onClick={async () => {
                  await signOut();
                  onSignedOut();
                }}
              >
                {t.signOut}
              </Button>
            )}
          </div>
        </div>
        {session.signedIn && (
          <nav aria-label={t.mainNav} className="main-nav">
            <ul>
              {links.map((link) => (
                <li key={link.key}>
                  <a href={link.href} onClick={onLinkClick} aria-current={section === link.key ? 'page' : undefined}>
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      {session.signedIn && session.amr && session.acr && (
        <footer className="site-footer">
          <p>{t.signedInWith(t.methods[session.amr] ?? session.amr, t.levels[session.acr] ?? session.acr)}</p>
        </footer>
      )}
    </>
  );
}
