import { useEffect, useRef, useState } from 'react';
import { Button, Checkbox, Heading, InlineAlert, Paragraph, RadioButton, RadioButtonGroup, TextInput } from 'suomifi-ui-components';
import { api, ApiError, type AccountView } from '../api';
import { loadAgencies, type AgencyEntry } from '../agencies';
import { useApp } from '../context';
import { formatDate, LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n';
import { Failure, Loading, useLoad } from '../load';
import { PageHeading } from '../page';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+[1-9]\d{6,14}$/;

/** The account: open it, consents per agency, the paper preference, erasure of contact details, closing. */
export function Account() {
  const { t } = useApp();
  const [loaded, reload] = useLoad(async () => {
    try {
      return await api.get<AccountView>('/v1/citizen/account');
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 404) return null;
      throw error;
    }
  }, 'account');
  return (
    <>
      <PageHeading title={t.accountTitle}>{t.accountTitle}</PageHeading>
      {loaded.state === 'loading' && <Loading />}
      {loaded.state === 'failed' && <Failure error={loaded.error} />}
      {loaded.state === 'ready' && loaded.value === null && <OpenAccount onOpened={reload} />}
      {loaded.state === 'ready' && loaded.value !== null && <AccountDetails account={loaded.value} reload={reload} />}
    </>
  );
}

/** Server-side field problems (400 problem+json `errors`) mapped to the form's fields. */
function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {};
  const found: Record<string, string> = {};
  for (const e of error.problem.errors) {
    const field = e.field ?? e.property;
    if (field && e.message) found[field] = e.message;
  }
  return found;
}

function OpenAccount({ onOpened }: { readonly onOpened: () => Promise<void> }) {
  const { t, language } = useApp();
  const [accountLanguage, setAccountLanguage] = useState<Language>(language);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<{ email?: string; phone?: string }>({});
  const [failure, setFailure] = useState<string>();
  const [sending, setSending] = useState(false);
  const open = async () => {
    const found: { email?: string; phone?: string } = {};
    if (email.trim() !== '' && !EMAIL.test(email.trim())) found.email = t.invalidEmail;
    if (phone.trim() !== '' && !PHONE.test(phone.trim())) found.phone = t.invalidPhone;
    setErrors(found);
    if (found.email || found.phone) {
      document.getElementById(found.email ? 'account-email' : 'account-phone')?.focus();
      return;
    }
    setSending(true);
    setFailure(undefined);
    try {
      await api.post('/v1/citizen/account', { language: accountLanguage, ...(email.trim() ? { email: email.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) });
      await onOpened();
    } catch (error) {
      const byField = fieldErrors(error);
      if (byField.email || byField.phone) setErrors({ email: byField.email && t.invalidEmail, phone: byField.phone && t.invalidPhone });
      else setFailure(t.error);
    } finally {
      setSending(false);
    }
  };
  return (
    <section aria-labelledby="open-heading" className="narrow">
      <InlineAlert className="spaced">{t.accountNotOpen}</InlineAlert>
      <Heading variant="h2" id="open-heading" className="spaced">
        {t.openAccountHeading}
      </Heading>
      <Paragraph className="spaced">{t.openAccountIntro}</Paragraph>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void open();
        }}
      >
        <div className="field">
          <RadioButtonGroup labelText={t.accountLanguage} name="account-language" value={accountLanguage} onChange={(value) => setAccountLanguage(value as Language)}>
            {LANGUAGES.map((l) => (
              <RadioButton key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </RadioButton>
            ))}
          </RadioButtonGroup>
        </div>
        <div className="field">
          <TextInput id="account-email" type="email" autoComplete="email" labelText={t.email} optionalText={t.optional} hintText={t.contactHint} value={email} onChange={(v) => setEmail(String(v ?? ''))} status={errors.email ? 'error' : 'default'} statusText={errors.email} fullWidth />
        </div>
        <div className="field">
          <TextInput id="account-phone" type="tel" autoComplete="tel" labelText={t.phone} optionalText={t.optional} hintText={t.phoneHint} value={phone} onChange={(v) => setPhone(String(v ?? ''))} status={errors.phone ? 'error' : 'default'} statusText={errors.phone} fullWidth />
        </div>
        {failure && (
          <InlineAlert status="error" role="alert" className="spaced">
            {failure}
          </InlineAlert>
        )}
        <Button type="submit" disabled={sending} id="open-account">
          {t.openAccount}
        </Button>
      </form>
    </section>
  );
}

function AccountDetails({ account, reload }: { readonly account: AccountView; readonly reload: () => Promise<void> }) {
  const { t, language, session } = useApp();
  const [agencies, setAgencies] = useState<AgencyEntry[]>([]);
  const [status, setStatus] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [confirmClose, setConfirmClose] = useState(false);
  const [closeError, setCloseError] = useState<string>();
  const statusRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    loadAgencies().then(setAgencies, () => setFailure(t.error));
  }, [t.error]);

  const act = async (work: () => Promise<unknown>) => {
    setFailure(undefined);
    try {
      await work();
      await reload();
      setStatus(t.saved);
      setTimeout(() => statusRef.current?.focus(), 0);
    } catch (error) {
      setFailure(error instanceof ApiError && error.problem.detail ? `${t.error} (${error.problem.detail})` : t.error);
    }
  };
  const consents = new Map(account.consents.map((c) => [c.agencyId, c.grantedAt]));
  const open = account.status === 'open';
  return (
    <>
      {status && (
        <p ref={statusRef} tabIndex={-1} role="status" className="saved">
          {status}
        </p>
      )}
      {failure && (
        <InlineAlert status="error" role="alert" className="spaced">
          {failure}
        </InlineAlert>
      )}
      <dl className="facts card">
        <dt>{t.accountStatus}</dt>
        <dd id="account-status">{open ? t.statusOpen : t.statusClosed}</dd>
        <dt>{t.accountLanguage}</dt>
        <dd>{account.language ? LANGUAGE_NAMES[account.language] : '–'}</dd>
        <dt>{t.email}</dt>
        <dd>{account.email ?? t.notGiven}</dd>
        <dt>{t.phone}</dt>
        <dd>{account.phone ?? t.notGiven}</dd>
      </dl>

      {open && (
        <section aria-labelledby="consents-heading" className="card">
          <Heading variant="h2" id="consents-heading">
            {t.consentsHeading}
          </Heading>
          <Paragraph className="spaced">{t.consentsIntro}</Paragraph>
          {agencies.length === 0 ? (
            <Paragraph>{t.noAgencies}</Paragraph>
          ) : (
            <ul className="consents">
              {agencies.map((a) => {
                const grantedAt = consents.get(a.id);
                return (
                  <li key={a.id}>
                    <span className="consent-agency" id={`agency-${a.id}`}>
                      {a.name}
                    </span>
                    <span className="consent-state">{grantedAt ? t.consentGranted(formatDate(language, grantedAt)) : '–'}</span>
                    {grantedAt ? (
                      <Button variant="secondary" aria-describedby={`agency-${a.id}`} onClick={() => void act(() => api.del(`/v1/citizen/consents/${encodeURIComponent(a.id)}`))}>
                        {t.revoke}
                      </Button>
                    ) : (
                      <Button variant="secondary" aria-describedby={`agency-${a.id}`} onClick={() => void act(() => api.put(`/v1/citizen/consents/${encodeURIComponent(a.id)}`))}>
                        {t.grant}
                      </Button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}

      {open && session.consentPolicy === 'digital-by-default' && (
        <section aria-labelledby="paper-heading" className="card">
          <Heading variant="h2" id="paper-heading">
            {t.paperHeading}
          </Heading>
          <Paragraph className="spaced">{t.paperIntro}</Paragraph>
          {account.paperUntil && <Paragraph className="spaced">{t.paperUntil(formatDate(language, account.paperUntil))}</Paragraph>}
          <Button variant="secondary" onClick={() => void act(() => api.put('/v1/citizen/paper-preference'))}>
            {t.choosePaper}
          </Button>
        </section>
      )}

      <section aria-labelledby="erase-heading" className="card">
        <Heading variant="h2" id="erase-heading">
          {t.eraseHeading}
        </Heading>
        <Paragraph className="spaced">{t.eraseIntro}</Paragraph>
        {account.personalDataErasedAt ? (
          <Paragraph>{t.erased(formatDate(language, account.personalDataErasedAt))}</Paragraph>
        ) : (
          <Button variant="secondary" onClick={() => void act(() => api.del('/v1/citizen/personal-data'))} disabled={!account.email && !account.phone}>
            {t.erase}
          </Button>
        )}
      </section>

      {open && (
        <section aria-labelledby="close-heading" className="card danger">
          <Heading variant="h2" id="close-heading">
            {t.closeHeading}
          </Heading>
          <Paragraph className="spaced" id="close-warning">
            <strong>{t.closeWarning}</strong>
          </Paragraph>
          <div className="field">
            <Checkbox id="close-confirm" checked={confirmClose} onClick={({ checkboxState }) => setConfirmClose(checkboxState)} status={closeError ? 'error' : 'default'} statusText={closeError}>
              {t.closeConfirm}
            </Checkbox>
          </div>
          <Button
            aria-describedby="close-warning"
            onClick={() => {
              if (!confirmClose) {
                setCloseError(t.closeNeedsConfirm);
                document.getElementById('close-confirm')?.focus();
                return;
              }
              setCloseError(undefined);
              void act(() => api.del('/v1/citizen/account'));
            }}
            id="close-account"
          >
            {t.closeButton}
          </Button>
        </section>
      )}
    </>
  );
}
