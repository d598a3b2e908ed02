import { useCallback, useEffect, useMemo, useState } from 'react';
import { SuomifiThemeProvider } from 'suomifi-ui-components';
import { loadSession, whenSignedOut, type Session } from './api';
import { App, type AppContext } from './context';
import { initialLanguage, rememberLanguage, TEXTS, type Language } from './i18n';
import { Layout } from './layout';
import { routeOf, useLocation } from './router';
import { SignIn } from './pages/sign-in';
import { Inbox } from './pages/inbox';
import { Message } from './pages/message';
import { Applications } from './pages/applications';
import { NewApplication } from './pages/new-application';
import { ApplicationThread } from './pages/application-thread';
import { Account } from './pages/account';
import { NotFound } from './pages/not-found';
import './styles.css';

export function Root() {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [session, setSession] = useState<Session | undefined>();
  const [notice, setNotice] = useState<string | undefined>(() => new URLSearchParams(location.search).get('signin') ?? undefined);
  const path = useLocation();

  useEffect(() => {
    rememberLanguage(language);
  }, [language]);

  useEffect(() => {
    whenSignedOut(() => {
      setNotice('sessionEnded');
      setSession({ signedIn: false });
    });
    loadSession().then(setSession, () => setSession({ signedIn: false }));
  }, []);

  const setLanguage = useCallback((next: Language) => setLanguageState(next), []);
  const context = useMemo<AppContext | null>(() => (session ? { language, t: TEXTS[language], session, setLanguage } : null), [language, session, setLanguage]);

  if (!context) return null;
  const route = routeOf(path);
  return (
    <SuomifiThemeProvider theme={{}}>
      <App.Provider value={context}>
        <Layout onSignedOut={() => { setNotice('signedOut'); setSession({ signedIn: false }); }}>
          {!session!.signedIn ? (
            <SignIn notice={notice} returnTo={path + location.search.replace(/[?&](signin|lang)=[^&]*/g, '')} />
          ) : route.page === 'inbox' ? (
            <Inbox />
          ) : route.page === 'message' ? (
            <Message id={route.id} />
          ) : route.page === 'applications' ? (
            <Applications />
          ) : route.page === 'new-application' ? (
            <NewApplication />
          ) : route.page === 'application' ? (
            <ApplicationThread id={route.id} />
          ) : route.page === 'account' ? (
            <Account />
          ) : (
            <NotFound />
          )}
        </Layout>
      </App.Provider>
    </SuomifiThemeProvider>
  );
}
