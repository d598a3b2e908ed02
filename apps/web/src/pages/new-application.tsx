import { useEffect, useRef, useState } from 'react';
import { Button, Dropdown, DropdownItem, InlineAlert, Textarea, TextInput } from 'suomifi-ui-components';
import { api, ApiError } from '../api';
import { loadAgencies, type AgencyEntry } from '../agencies';
import { useApp } from '../context';
import { Loading } from '../load';
import { PageHeading } from '../page';
import { navigate, onLinkClick } from '../router';
import { UploadField, useUploads } from '../uploads';

type Field = 'agency' | 'subject' | 'body';

/**
 * A new application: the authority, the subject (or form), the content and attachments. Each file
 * is uploaded as soon as it is chosen, with its progress shown and announced; the application is
 * sent with the ids of the uploaded files. Errors name their field and are tied to it.
 */
export function NewApplication() {
  const { t } = useApp();
  const [agencies, setAgencies] = useState<AgencyEntry[]>([]);
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const uploads = useUploads();
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string>();
  const [sending, setSending] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    loadAgencies().then(setAgencies, () => setFailure(t.error));
  }, [t.error]);

  const submit = async () => {
    const found: Partial<Record<Field, string>> = {};
    if (!agencyId) found.agency = t.required(t.applicationAgency);
    if (subject.trim() === '') found.subject = t.required(t.applicationSubject);
    if (body.trim() === '') found.body = t.required(t.applicationBody);
    setErrors(found);
    setFailure(undefined);
    const first = (['agency', 'subject', 'body'] as const).find((f) => found[f]);
    if (first) {
      setTimeout(() => summaryRef.current?.focus(), 0);
      return;
    }
    if (!uploads.settled) {
      setFailure(t.waitUploads);
      return;
    }
    setSending(true);
    try {
      const attachments = uploads.ids;
      const { id } = await api.post<{ id: string }>('/v1/citizen/applications', { agencyId, subject, body, ...(attachments.length > 0 ? { attachments } : {}) });
      navigate(`/applications/${encodeURIComponent(id)}`);
    } catch (error) {
      setFailure(error instanceof ApiError && error.problem.detail ? `${t.error} (${error.problem.detail})` : t.error);
    } finally {
      setSending(false);
    }
  };

  const errorList = (['agency', 'subject', 'body'] as const).filter((f) => errors[f]);
  const fieldId: Record<Field, string> = { agency: 'application-agency', subject: 'application-subject', body: 'application-body' };
  return (
    <div className="narrow">
      <p className="page-link">
        <a href="/applications" onClick={onLinkClick}>
          ← {t.backToApplications}
        </a>
      </p>
      <PageHeading title={t.newApplication}>{t.newApplication}</PageHeading>
      {errorList.length > 0 && (
        <div ref={summaryRef} tabIndex={-1} className="error-summary" role="alert" aria-labelledby="error-summary-heading">
          <h2 id="error-summary-heading">{t.errorSummary}</h2>
          <ul>
            {errorList.map((f) => (
              <li key={f}>
                <a
                  href={`#${fieldId[f]}`}
                  onClick={(event) => {
                    event.preventDefault();
                    document.getElementById(fieldId[f])?.focus();
                  }}
                >
                  {errors[f]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="field">
          {agencies.length === 0 ? (
            <Loading />
          ) : (
          <Dropdown
            id={fieldId.agency}
            labelText={t.applicationAgency}
            visualPlaceholder={t.chooseAgency}
            value={agencyId}
            onChange={(value: string) => setAgencyId(value)}
            status={errors.agency ? 'error' : 'default'}
            statusText={errors.agency}
            fullWidth
          >
            {agencies.map((a) => (
              <DropdownItem key={a.id} value={a.id}>
                {a.name}
              </DropdownItem>
            ))}
          </Dropdown>
          )}
        </div>
        <div className="field">
          <TextInput
            id={fieldId.subject}
            labelText={t.applicationSubject}
            value={subject}
            onChange={(value) => setSubject(String(value ?? ''))}
            status={errors.subject ? 'error' : 'default'}
            statusText={errors.subject}
            fullWidth
            maxLength={256}
          />
        </div>
        <div className="field">
          <Textarea
            id={fieldId.body}
            labelText={t.applicationBody}
            value={body}
            onChange={(event) => setBody(event.target.value)}
            status={errors.body ? 'error' : 'default'}
            statusText={errors.body}
            fullWidth
          />
        </div>
        <UploadField id="application-files" uploads={uploads} />
        {failure && (
          <InlineAlert status="error" role="alert" className="spaced">
            {failure}
          </InlineAlert>
        )}
        <Button type="submit" disabled={sending} id="submit-application">
          {t.submitApplication}
        </Button>
      </form>
    </div>
  );
}
