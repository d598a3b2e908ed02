import { useApp } from '../context';
import { PageHeading } from '../page';

export function NewApplication() {
  const { t } = useApp();
  return <PageHeading title={t.newApplication}>{t.newApplication}</PageHeading>;
}
