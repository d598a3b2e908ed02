import { Button, InlineAlert } from 'suomifi-ui-components';
import { api, type ApplicationSummary, type Page } from '../api';
import { useAgencyNames } from '../agencies';
import { useApp } from '../context';
import { formatDate } from '../i18n';
import { Failure, Loading, useLoad } from '../load';
import { PageHeading } from '../page';
import { navigate, onLinkClick } from '../router';

/** The person's applications, newest first, each leading to its thread. */
export function Applications() {
  const { t, language } = useApp();
  const agencyName = useAgencyNames();
  const [loaded] = useLoad(() => api.get<Page<ApplicationSummary>>('/v1/citizen/applications?limit=100'), 'applications');
  return (
    <>
      <PageHeading title={t.applicationsTitle}>{t.applicationsTitle}</PageHeading>
      <div className="spaced">
        <Button onClick={() => navigate('/applications/new')} id="new-application">
          {t.newApplication}
        </Button>
      </div>
      {loaded.state === 'loading' && <Loading />}
      {loaded.state === 'failed' && <Failure error={loaded.error} />}
      {loaded.state === 'ready' && loaded.value.items.length === 0 && <InlineAlert>{t.noApplications}</InlineAlert>}
      {loaded.state === 'ready' && loaded.value.items.length > 0 && (
        <ul className="message-list">
          {loaded.value.items.map((a) => (
            <li key={a.id} className="message-item">
              <a href={`/applications/${encodeURIComponent(a.id)}`} onClick={onLinkClick} className="message-link">
                {a.subject}
              </a>
              <div className="message-meta">
                <span>{agencyName(a.agencyId)}</span>
                <span>
                  {t.submitted} {formatDate(language, a.submittedAt)}
                </span>
                {a.attachmentCount > 0 && <span>{t.attachmentCount(a.attachmentCount)}</span>}
              </div>
              <div className="badges">
                <span className="badge">
                  {t.status}: {t.applicationStatuses[a.status] ?? a.status}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
