import { useEffect, useState } from 'react';
import { Button, InlineAlert } from 'suomifi-ui-components';
import { api, type InboxItem, type MessageState, type Page } from '../api';
import { useAgencyNames } from '../agencies';
import { useApp } from '../context';
import { formatDate } from '../i18n';
import { Failure, Loading } from '../load';
import { PageHeading } from '../page';
import { onLinkClick } from '../router';

const FILTERS: readonly ('all' | MessageState)[] = ['all', 'unread', 'read', 'acknowledged', 'paper'];
export const PAGE_SIZE = 20;

/** The inbox: newest first, filtered by state, paged with the API's cursor ("show more"). */
export function Inbox() {
  const { t, language } = useApp();
  const agencyName = useAgencyNames();
  const [filter, setFilter] = useState<'all' | MessageState>('all');
  const [items, setItems] = useState<InboxItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [error, setError] = useState<Error>();

  const load = async (cursor: string | null) => {
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (filter !== 'all') query.set('state', filter);
      if (cursor) query.set('cursor', cursor);
      const page = await api.get<Page<InboxItem>>(`/v1/citizen/messages?${query}`);
      setItems((before) => (cursor ? [...before, ...page.items] : page.items));
      setNext(page.next);
      setState('ready');
    } catch (failure) {
      setError(failure as Error);
      setState('failed');
    }
  };

  useEffect(() => {
    setState('loading');
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter]);

  return (
    <>
      <PageHeading title={t.inboxTitle}>{t.inboxTitle}</PageHeading>
      <div role="group" aria-labelledby="filter-label" className="filters">
        <span id="filter-label" className="filter-label">
          {t.filterLabel}:
        </span>
        {FILTERS.map((f) => (
          <button key={f} type="button" className="filter" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {t.filters[f]}
          </button>
        ))}
      </div>
      {state === 'loading' && <Loading />}
      {state === 'failed' && error && <Failure error={error} />}
      {state === 'ready' && items.length === 0 && <InlineAlert>{t.noMessages}</InlineAlert>}
      {state === 'ready' && items.length > 0 && (
        <>
          <p className="visually-hidden" aria-live="polite">
            {t.messagesCount(items.length)}
          </p>
          <ul className="message-list">
            {items.map((item) => (
              <li key={item.id} className={`message-item ${item.state}`}>
                <a href={`/messages/${encodeURIComponent(item.id)}`} onClick={onLinkClick} className="message-link">
                  {item.state === 'unread' && <span className="visually-hidden">{t.states.unread}: </span>}
                  {item.subject}
                </a>
                <div className="message-meta">
                  <span>{agencyName(item.agencyId)}</span>
                  <span>{t.kinds[item.kind] ?? item.kind}</span>
                  <span>
                    {t.sent} {formatDate(language, item.sentAt)}
                  </span>
                </div>
                <div className="badges">
                  <span className={`badge state-${item.state}`}>{t.states[item.state]}</span>
                  {item.delivery === 'registered' && (
                    <span className="badge registered">
                      <span aria-hidden="true">✉ </span>
                      {t.registered}
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {next && (
            <Button variant="secondary" onClick={() => void load(next)}>
              {t.more}
            </Button>
          )}
        </>
      )}
    </>
  );
}
