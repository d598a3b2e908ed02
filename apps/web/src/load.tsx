import { useCallback, useEffect, useState } from 'react';
import { InlineAlert, LoadingSpinner } from 'suomifi-ui-components';
import { ApiError } from './api';
import { useApp } from './context';

export type Loaded<T> = { readonly state: 'loading' } | { readonly state: 'ready'; readonly value: T } | { readonly state: 'failed'; readonly error: ApiError | Error };

/** Loads once per key; `reload` fetches again (after a write). */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => Promise<void>] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const reload = useCallback(async () => {
    try {
      setLoaded({ state: 'ready', value: await load() });
    } catch (error) {
      setLoaded({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useEffect(() => {
    setLoaded({ state: 'loading' });
    void reload();
  }, [reload]);
  return [loaded, reload];
}

export function Loading() {
  const { t } = useApp();
  return <LoadingSpinner status="loading" text={t.loading} textAlign="right" variant="small" />;
}

export function Failure({ error }: { readonly error: Error }) {
  const { t } = useApp();
  const notFound = error instanceof ApiError && error.problem.status === 404;
  return (
    <InlineAlert status="error" role="alert">
      {notFound ? t.notFound : t.error}
    </InlineAlert>
  );
}
