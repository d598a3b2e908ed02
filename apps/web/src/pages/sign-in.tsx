import { Button, Notification, Paragraph } from 'suomifi-ui-components';
import { useApp } from '../context';
import { PageHeading } from '../page';

/** Sign-in: the server runs the OpenID Connect flow; this page only starts it, in the chosen language. */
export function SignIn({ notice, returnTo }: { readonly notice?: string; readonly returnTo: string }) {
  const { t, language } = useApp();
  const message = notice ? t.signInNotices[notice] : undefined;
  const start = () => {
    location.assign(`/auth/login?lang=${language}&returnTo=${encodeURIComponent(returnTo || '/')}`);
  };
  return (
    <div className="narrow">
      <PageHeading title={t.signInTitle}>{t.signInTitle}</PageHeading>
      {message && (
        <Notification showCloseButton={false} status={notice === 'signedOut' ? 'neutral' : 'error'} regionAriaLabel={message} className="spaced">
          {message}
        </Notification>
      )}
      <Paragraph className="spaced">{t.signInIntro}</Paragraph>
      <Paragraph className="spaced">{t.signInStrong}</Paragraph>
      <Button onClick={start} id="sign-in">
        {t.signInButton}
      </Button>
    </div>
  );
}
