import { useCallback, useEffect, useRef } from 'react';
import { startLiveUpdates } from '../app/live';
import { listenToMenu } from '../app/menu';
import { useShortcuts } from '../app/use-shortcuts';
import { useTheme } from '../app/use-theme';
import { ShareDialog } from '../components/ShareDialog';
import { Toast } from '../components/Toast';
import { useReview } from '../stores/review';
import { useSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { CompareView } from './CompareView';
import { DuplicatesView } from './DuplicatesView';
import { LibraryView } from './LibraryView';
import { LoupeView } from './LoupeView';
import { PeopleView } from './PeopleView';
import { ReportsView } from './ReportsView';
import { ReviewView } from './ReviewView';
import { SettingsView } from './SettingsView';

export function App() {
  useTheme();
  useEffect(() => startLiveUpdates(), []);
  useEffect(() => listenToMenu(), []);
  useEffect(() => void useSession.getState().load(), []);
  const searchRef = useRef<HTMLInputElement>(null);
  const focusSearch = useCallback(() => {
    searchRef.current?.focus();
    searchRef.current?.select();
  }, []);
  useShortcuts(focusSearch);
  const loupeOpen = useUi((s) => s.loupeOpen);
  const settingsOpen = useUi((s) => s.settingsOpen);
  const compare = useUi((s) => s.compare);
  const duplicatesOpen = useUi((s) => s.duplicatesOpen);
  const peopleOpen = useUi((s) => s.peopleOpen);
  const reportsOpen = useUi((s) => s.reportsOpen);
  const reviewOpen = useReview((s) => s.open);
  const share = useUi((s) => s.share);
  return (
    <>
      <LibraryView
        searchRef={searchRef}
        inert={
          loupeOpen ||
          settingsOpen ||
          reviewOpen ||
          compare !== null ||
          duplicatesOpen ||
          share !== null ||
          peopleOpen ||
          reportsOpen
        }
      />
      {loupeOpen && !reviewOpen && <LoupeView />}
      {reviewOpen && <ReviewView />}
      {compare && <CompareView spec={compare} />}
      {duplicatesOpen && <DuplicatesView />}
      {peopleOpen && <PeopleView />}
      {reportsOpen && <ReportsView />}
      {settingsOpen && <SettingsView />}
      {share && <ShareDialog target={share} />}
      <Toast />
    </>
  );
}
