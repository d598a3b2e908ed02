import { useApp } from '../context';
import { PageHeading } from '../page';

export function Account() {
  const { t } = useApp();
  return <PageHeading title={t.accountTitle}>{t.accountTitle}</PageHeading>;
}
