import { useId, type ReactNode } from 'react';
import { useUi, type PanelTab } from '../stores/ui';

const TABS: { value: PanelTab; label: string }[] = [
  { value: 'details', label: 'Details' },
  { value: 'rights', label: 'Rights' },
  { value: 'approval', label: 'Approval' },
  { value: 'versions', label: 'Versions' },
  { value: 'publish', label: 'Publish' },
];

/**
 * The inspector's and the loupe's panels as tabs (one choice for both, remembered): a narrow
 * column cannot show the details, fourteen rights fields and a timeline at once.
 */
export function PanelTabs({ children }: { children: (tab: PanelTab) => ReactNode }) {
  const tab = useUi((s) => s.panelTab);
  const base = useId();
  const move = (delta: number) => {
    const i = TABS.findIndex((t) => t.value === tab);
    const next = TABS[(i + delta + TABS.length) % TABS.length]!;
    useUi.getState().set({ panelTab: next.value });
    requestAnimationFrame(() => document.getElementById(`${base}-${next.value}`)?.focus());
  };
  return (
    <>
      <div className="panel-tabs" role="tablist" aria-label="Panels">
        {TABS.map((t) => (
          <button
            key={t.value}
            id={`${base}-${t.value}`}
            type="button"
            role="tab"
            aria-selected={tab === t.value}
            aria-controls={`${base}-panel`}
            tabIndex={tab === t.value ? 0 : -1}
            className={tab === t.value ? 'on' : ''}
            onClick={() => useUi.getState().set({ panelTab: t.value })}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                e.preventDefault();
                e.stopPropagation();
                move(e.key === 'ArrowRight' ? 1 : -1);
              }
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="panel-tab-body" role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-${tab}`}>
        {children(tab)}
      </div>
    </>
  );
}
