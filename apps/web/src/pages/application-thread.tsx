import { Heading, Paragraph } from 'suomifi-ui-components';
import { api, type Attachment, type ThreadView } from '../api';
import { useAgencyNames } from '../agencies';
import { useApp } from '../context';
import { formatDateTime } from '../i18n';
import { Failure, Loading, useLoad } from '../load';
import { PageHeading } from '../page';
import { onLinkClick } from '../router';
import { formatSize } from '../format';

/** An application and everything that followed it: the agency's messages and the person's replies, in time order. */
export function ApplicationThread({ id }: { readonly id: string }) {
  const { t, language } = useApp();
  const agencyName = useAgencyNames();
  const [loaded] = useLoad(() => api.get<ThreadView>(`/v1/citizen/threads/${encodeURIComponent(id)}?limit=200`), id);
  const root = loaded.state === 'ready' ? loaded.value.items.find((e) => e.type === 'application') : undefined;
  const title = root && root.type === 'application' ? root.subject : t.thread;
  return (
    <>
      <p className="page-link">
        <a href="/applications" onClick={onLinkClick}>
          ← {t.backToApplications}
        </a>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      {loaded.state === 'loading' && <Loading />}
      {loaded.state === 'failed' && <Failure error={loaded.error} />}
      {loaded.state === 'ready' && (
        <>
          <Paragraph className="spaced">
            {t.applicationAgency}: {agencyName(loaded.value.agencyId)}
          </Paragraph>
          <Heading variant="h2" className="spaced">
            {t.thread}
          </Heading>
          <ol className="thread">
            {loaded.value.items.map((entry) => (
              <li key={entry.id} className={`card thread-${entry.type}`}>
                <p className="thread-who">
                  <strong>{entry.type === 'message' ? agencyName(loaded.value.agencyId) : t.you}</strong> · {formatDateTime(language, entry.at)}
                </p>
                {entry.type === 'message' && <p className="thread-subject">{entry.subject}</p>}
                {entry.body === null ? (
                  <a href={`/messages/${encodeURIComponent(entry.id)}`} onClick={onLinkClick}>
                    {t.openMessage}: {entry.type === 'message' ? entry.subject : ''}
                  </a>
                ) : (
                  <div className="body-text">{entry.body}</div>
                )}
                {entry.attachments && entry.attachments.length > 0 && <AttachmentLinks attachments={entry.attachments} />}
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}

function AttachmentLinks({ attachments }: { readonly attachments: readonly Attachment[] }) {
  const { t } = useApp();
  return (
    <ul className="attachments">
      {attachments.map((a) => (
        <li key={a.id}>
          <a href={a.url} download={a.name}>
            {t.download}: {a.name}
          </a>{' '}
          <span className="size">({formatSize(a.size)})</span>
        </li>
      ))}
    </ul>
  );
}
