import { Paragraph } from 'suomifi-ui-components';
import { useApp } from '../context';
import { PageHeading } from '../page';
import { onLinkClick } from '../router';

export function NotFound() {
  const { t } = useApp();
  return (
    <>
      <PageHeading title={t.notFound}>{t.notFound}</PageHeading>
      <Paragraph>
        <a href="/" onClick={onLinkClick}>
          {t.back}
        </a>
      </Paragraph>
    </>
  );
}
