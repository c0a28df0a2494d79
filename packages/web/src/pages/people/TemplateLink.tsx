/**
 * The template of an import (its columns and an example row, from the API), as a link that
 * downloads it: the request needs the token, so the file is fetched first and linked as a
 * blob; its headers are in the language of the page.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import type { ImportKindName } from './importKinds';

export function TemplateLink({ schoolId, kind }: { schoolId: string; kind: ImportKindName }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const file = `${kind}.csv` as const;
  const template = useQuery({
    queryKey: ['import-template', schoolId, kind, lang],
    staleTime: Infinity,
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/import-templates/{file}', {
          params: { path: { schoolId, file }, query: { lang } },
          parseAs: 'blob',
        }),
      ),
  });
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    if (!template.data) return;
    const url = URL.createObjectURL(template.data);
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [template.data]);
  if (template.error) return <p className="error">{t('people.import.noTemplate')}</p>;
  return (
    <p>
      {href ? (
        <a href={href} download={t('people.import.templateFile', { kind: t(`people.import.kinds.${kind}`) })}>
          {t('people.import.template', { kind: t(`people.import.kinds.${kind}`) })}
        </a>
      ) : (
        <span className="hint">{t('people.import.templateLoading')}</span>
      )}
    </p>
  );
}
