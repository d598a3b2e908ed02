import { useEffect, useState } from 'react';
import { api, type Page } from './api';

export interface AgencyEntry {
  readonly id: string;
  readonly name: string;
}

let cache: Promise<AgencyEntry[]> | undefined;

/** Every registered agency (few: tens, not thousands), fetched once per page load. */
export function loadAgencies(): Promise<AgencyEntry[]> {
  cache ??= (async () => {
    const all: AgencyEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<AgencyEntry> = await api.get(`/v1/citizen/agencies?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      all.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return all;
  })().catch((error: unknown) => {
    cache = undefined;
    throw error;
  });
  return cache;
}

/** A function naming an agency by its id (the id itself until the names arrive). */
export function useAgencyNames(): (id: string) => string {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    loadAgencies().then((list) => setNames(new Map(list.map((a) => [a.id, a.name]))), () => undefined);
  }, []);
  return (id) => names.get(id) ?? id;
}
