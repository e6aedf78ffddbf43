import { useCallback, useEffect, useRef } from 'react';
import { startLiveUpdates } from '../app/live';
import { useShortcuts } from '../app/use-shortcuts';
import { useTheme } from '../app/use-theme';
import { Toast } from '../components/Toast';
import { useUi } from '../stores/ui';
import { LibraryView } from './LibraryView';
import { LoupeView } from './LoupeView';
import { SettingsView } from './SettingsView';

export function App() {
  useTheme();
  useEffect(() => startLiveUpdates(), []);
  const searchRef = useRef<HTMLInputElement>(null);
  const focusSearch = useCallback(() => {
    searchRef.current?.focus();
    searchRef.current?.select();
  }, []);
  useShortcuts(focusSearch);
  const loupeOpen = useUi((s) => s.loupeOpen);
  const settingsOpen = useUi((s) => s.settingsOpen);
  return (
    <>
      <LibraryView searchRef={searchRef} inert={loupeOpen || settingsOpen} />
      {loupeOpen && <LoupeView />}
      {settingsOpen && <SettingsView />}
      <Toast />
    </>
  );
}
