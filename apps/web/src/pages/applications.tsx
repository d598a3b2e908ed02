import { useApp } from '../context';
import { PageHeading } from '../page';

export function Applications() {
  const { t } = useApp();
  return <PageHeading title={t.applicationsTitle}>{t.applicationsTitle}</PageHeading>;
}
