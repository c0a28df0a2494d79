import { useTranslation } from 'react-i18next';

/** Switches between Chinese and English; the choice is remembered on this device (i18n/index.ts). */
export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const other = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <button type="button" lang={other} onClick={() => void i18n.changeLanguage(other)}>
      {other === 'en' ? 'English' : '中文'}
    </button>
  );
}
