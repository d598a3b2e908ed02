import { useApp } from '../context';
import { PageHeading } from '../page';

export function ApplicationThread({ id }: { readonly id: string }) {
  const { t } = useApp();
  return <PageHeading title={t.thread}>{`${t.thread} ${id}`}</PageHeading>;
}
