import { useEffect } from 'react';
import { useSettings, type Theme } from '../stores/settings';

/** Sets <html data-theme> for a chosen theme; "system" follows prefers-color-scheme as it is now. */
export function applyTheme(theme: Theme): void {
  const light = window.matchMedia('(prefers-color-scheme: light)').matches;
  document.documentElement.dataset.theme = theme === 'system' ? (light ? 'light' : 'dark') : theme;
}

/** Keeps <html> on the chosen theme; "system" follows prefers-color-scheme, live. */
export function useTheme(): void {
  const theme = useSettings((s) => s.theme);
  useEffect(() => {
    applyTheme(theme);
    if (theme !== 'system') return;
    const media = window.matchMedia('(prefers-color-scheme: light)');
    const apply = () => applyTheme(theme);
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
