import type { RefObject } from 'react';
import { EmptyState } from '../components/EmptyState';
import { FilterBar } from '../components/FilterBar';
import { Grid } from '../components/Grid';
import { Inspector } from '../components/Inspector';
import { ProblemsPanel } from '../components/ProblemsPanel';
import { Sidebar } from '../components/Sidebar';
import { StatusBar } from '../components/StatusBar';
import { Toolbar } from '../components/Toolbar';
import { useLibrary } from '../stores/library';
import { useUi } from '../stores/ui';

/** Sidebar, toolbar and grid, with the inspector on the right: the app's main screen. */
export function LibraryView({
  searchRef,
  inert,
}: {
  searchRef: RefObject<HTMLInputElement | null>;
  inert: boolean;
}) {
  const hasItems = useLibrary((s) => s.ids.length > 0);
  const ready = useLibrary((s) => s.listLoaded && s.rootsLoaded);
  const hasRoots = useLibrary((s) => s.roots.length > 0);
  const problemsOpen = useUi((s) => s.problemsOpen);
  return (
    <div className="app" inert={inert}>
      <Sidebar />
      <main className="main">
        <Toolbar searchRef={searchRef} />
        {hasRoots && <FilterBar />}
        <div className="content">
          {hasItems ? <Grid /> : ready ? <EmptyState /> : null}
          {problemsOpen && <ProblemsPanel />}
        </div>
        <StatusBar />
      </main>
      <Inspector />
    </div>
  );
}
