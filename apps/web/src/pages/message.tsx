import { useRef, useState } from 'react';
import { Button, Heading, InlineAlert, Notification, Paragraph, Textarea } from 'suomifi-ui-components';
import { api, ApiError, type MessageView } from '../api';
import { useAgencyNames } from '../agencies';
import { useApp } from '../context';
import { formatDate, formatDateTime } from '../i18n';
import { Failure, Loading, useLoad } from '../load';
import { formatSize } from '../format';
import { PageHeading } from '../page';
import { UploadField, useUploads } from '../uploads';
import { onLinkClick } from '../router';

/**
 * One message. A registered one not yet acknowledged shows first what acknowledging means in law
 * and by when it must be done, and the acknowledgement itself; the content and the attachments
 * open only after it (the API withholds them until then).
 */
export function Message({ id }: { readonly id: string }) {
  const { t } = useApp();
  const [loaded, reload] = useLoad(() => api.get<MessageView>(`/v1/citizen/messages/${encodeURIComponent(id)}`), id);
  return (
    <>
      <p className="page-link">
        <a href="/" onClick={onLinkClick}>
          ← {t.back}
        </a>
      </p>
      {loaded.state === 'loading' && <Loading />}
      {loaded.state === 'failed' && (
        <>
          <PageHeading title={t.notFound}>{t.inboxTitle}</PageHeading>
          <Failure error={loaded.error} />
        </>
      )}
      {loaded.state === 'ready' && <MessageBody message={loaded.value} reload={reload} />}
    </>
  );
}

function MessageBody({ message, reload }: { readonly message: MessageView; readonly reload: () => Promise<void> }) {
  const { t, language } = useApp();
  const agencyName = useAgencyNames();
  const [acknowledging, setAcknowledging] = useState(false);
  const [ackError, setAckError] = useState<string>();
  const [justAcknowledged, setJustAcknowledged] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);

  const acknowledge = async () => {
    setAcknowledging(true);
    setAckError(undefined);
    try {
      await api.post(`/v1/citizen/messages/${encodeURIComponent(message.id)}/acknowledgement`);
      await reload();
      setJustAcknowledged(true);
      setTimeout(() => statusRef.current?.focus(), 0);
    } catch (error) {
      setAckError(error instanceof ApiError && error.problem.detail ? `${t.error} (${error.problem.detail})` : t.error);
    } finally {
      setAcknowledging(false);
    }
  };

  return (
    <article aria-labelledby="message-subject">
      <PageHeading title={message.subject}>
        <span id="message-subject">{message.subject}</span>
      </PageHeading>
      <dl className="facts">
        <dt>{t.from}</dt>
        <dd>{agencyName(message.agencyId)}</dd>
        <dt>{t.sent}</dt>
        <dd>{formatDateTime(language, message.sentAt)}</dd>
        <dt>{t.kind}</dt>
        <dd>
          {t.kinds[message.kind] ?? message.kind}
          {message.delivery === 'registered' ? ` · ${t.registered}` : ''} · {t.states[message.state]}
        </dd>
      </dl>
      {justAcknowledged && message.acknowledgedAt && (
        <div ref={statusRef} tabIndex={-1} role="status" className="spaced">
          <Notification showCloseButton={false} regionAriaLabel={t.ackDone(formatDateTime(language, message.acknowledgedAt))}>
            {t.ackDone(formatDateTime(language, message.acknowledgedAt))}
          </Notification>
        </div>
      )}
      {message.state === 'paper' && <InlineAlert className="spaced">{t.paperNotice}</InlineAlert>}
      {message.acknowledgementRequired && (
        <section className="acknowledge" aria-labelledby="ack-heading">
          <Heading variant="h2" id="ack-heading">
            {t.ackHeading}
          </Heading>
          <Paragraph className="spaced">{t.ackLegal}</Paragraph>
          {message.acknowledgeBy && (
            <Paragraph className="spaced deadline">
              <strong>{t.ackDeadline(formatDate(language, lastDayOf(message.acknowledgeBy)))}</strong>
            </Paragraph>
          )}
          {ackError && (
            <InlineAlert status="error" role="alert" className="spaced">
              {ackError}
            </InlineAlert>
          )}
          <Button onClick={() => void acknowledge()} disabled={acknowledging} id="acknowledge">
            {t.ackButton}
          </Button>
        </section>
      )}
      {!message.acknowledgementRequired && message.acknowledgedAt && !justAcknowledged && <Paragraph className="spaced">{t.ackDone(formatDateTime(language, message.acknowledgedAt))}</Paragraph>}
      {message.deemedServedAt && message.delivery === 'ordinary' && <Paragraph className="spaced">{t.deemedServed(formatDate(language, message.deemedServedAt))}</Paragraph>}
      {message.appealEndsOn && <Paragraph className="spaced">{t.appealEndsOn(formatDate(language, message.appealEndsOn))}</Paragraph>}
      {message.replyBy && <Paragraph className="spaced">{t.replyBy(formatDate(language, message.replyBy))}</Paragraph>}
      {message.body !== null && (
        <section aria-label={message.subject} className="message-content">
          <div className="body-text">{message.body}</div>
        </section>
      )}
      {message.attachments !== null && (
        <section aria-labelledby="attachments-heading">
          <Heading variant="h2" id="attachments-heading">
            {t.attachments}
          </Heading>
          {message.attachments.length === 0 ? (
            <Paragraph>{t.noAttachments}</Paragraph>
          ) : (
            <ul className="attachments">
              {message.attachments.map((a) => (
                <li key={a.id}>
                  <a href={a.url} download={a.name}>
                    {t.download}: {a.name}
                  </a>{' '}
                  <span className="size">({formatSize(a.size)})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {message.replyAllowed && message.body !== null && message.state !== 'paper' && <Reply messageId={message.id} />}
    </article>
  );
}

/** The deadline is the instant the last day ends (midnight in Helsinki): the person is told that last day. */
function lastDayOf(endInstant: string): string {
  return new Date(new Date(endInstant).getTime() - 1).toISOString();
}

function Reply({ messageId }: { readonly messageId: string }) {
  const { t } = useApp();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState(false);
  const [sending, setSending] = useState(false);
  const uploads = useUploads();
  const send = async () => {
    if (text.trim() === '') {
      setError(t.replyEmpty);
      document.getElementById('reply-text')?.focus();
      return;
    }
    if (!uploads.settled) {
      setError(t.waitUploads);
      return;
    }
    setSending(true);
    setError(undefined);
    try {
      await api.post(`/v1/citizen/messages/${encodeURIComponent(messageId)}/replies`, { body: text, ...(uploads.ids.length > 0 ? { attachments: uploads.ids } : {}) });
      setSent(true);
      setText('');
      uploads.clear();
    } catch (failure) {
      setError(failure instanceof ApiError && failure.problem.detail ? failure.problem.detail : t.error);
    } finally {
      setSending(false);
    }
  };
  return (
    <section aria-labelledby="reply-heading" className="reply">
      <Heading variant="h2" id="reply-heading">
        {t.replyHeading}
      </Heading>
      {sent && (
        <InlineAlert role="status" className="spaced">
          {t.replySent}
        </InlineAlert>
      )}
      <Textarea
        id="reply-text"
        labelText={t.replyLabel}
        value={text}
        onChange={(event) => setText(event.target.value)}
        status={error ? 'error' : 'default'}
        statusText={error}
        fullWidth
        className="spaced"
      />
      <UploadField id="reply-files" uploads={uploads} />
      <Button onClick={() => void send()} disabled={sending} id="send-reply">
        {t.replySend}
      </Button>
    </section>
  );
}
