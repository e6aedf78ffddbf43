import { useEffect, useMemo } from 'react';
import type { Asset } from '../../../shared/model';
import { api } from '../api/client';
import { editSelection, flagSelection, labelSelection, rateSelection } from '../app/actions';
import { formatBytes, formatCaptureDate, formatCount, plural } from '../lib/format';
import { cachedAsset, useLibrary } from '../stores/library';
import { useAllowed } from '../stores/session';
import { useSelection } from '../stores/selection';
import { ApprovalPanel } from './ApprovalPanel';
import { AutoTagsPanel } from './AutoTagsPanel';
import { FlagPicker } from './FlagPicker';
import { GovernanceLine } from './GovernanceLine';
import { KeywordEditor } from './KeywordEditor';
import { LabelPicker } from './LabelPicker';
import { MetadataPanel } from './MetadataPanel';
import { PanelTabs } from './PanelTabs';
import { PublishPanel } from './PublishPanel';
import { RightsPanel } from './RightsPanel';
import { StarRating } from './StarRating';
import { TextField } from './TextField';
import { Timeline } from './Timeline';
import { TypeIcon } from './TypeIcon';
import { UsagePanel } from './UsagePanel';
import { VersionsPanel } from './VersionsPanel';

/** Beyond this many, shared values are not worked out (the edits still apply to all). */
const SUMMARY_LIMIT = 5000;

interface Summary {
  assets: Asset[];
  /** A field's value when every asset has the same one, else undefined ("mixed"). */
  rating: number | undefined;
  label: Asset['label'] | undefined;
  flag: Asset['flag'] | undefined;
  title: string | null | undefined;
  description: string | null | undefined;
  keywords: string[];
  partial: string[];
}

function same<T>(list: Asset[], get: (a: Asset) => T): T | undefined {
  if (list.length === 0) return undefined;
  const first = get(list[0]!);
  return list.every((a) => get(a) === first) ? first : undefined;
}

function summarize(assets: Asset[]): Summary {
  const counts = new Map<string, number>();
  for (const a of assets) for (const k of a.keywords) counts.set(k, (counts.get(k) ?? 0) + 1);
  const keywords = [...counts].filter(([, n]) => n === assets.length).map(([k]) => k);
  const partial = [...counts].filter(([, n]) => n < assets.length).map(([k]) => k);
  return {
    assets,
    rating: same(assets, (a) => a.rating ?? 0),
    label: same(assets, (a) => a.label),
    flag: same(assets, (a) => a.flag),
    title: same(assets, (a) => a.title),
    description: same(assets, (a) => a.description),
    keywords: keywords.sort((a, b) => a.localeCompare(b)),
    partial: partial.sort((a, b) => a.localeCompare(b)),
  };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="panel-section">
      <h3 className="section-title">{title}</h3>
      {children}
    </section>
  );
}

function NothingSelected() {
  return (
    <div className="inspector-empty">
      <p>Select an item to see its details and edit them.</p>
      <dl className="keys">
        <dt>1 – 5</dt>
        <dd>Rate</dd>
        <dt>0</dt>
        <dd>Clear rating</dd>
        <dt>6 – 9</dt>
        <dd>Red, yellow, green, blue label</dd>
        <dt>P / X / U</dt>
        <dd>Pick, reject, unflag</dd>
        <dt>Space</dt>
        <dd>Open in loupe</dd>
        <dt>A / R</dt>
        <dd>Accept, reject the focused auto-tag</dd>
        <dt>Ctrl Z</dt>
        <dd>Undo</dd>
        <dt>Ctrl Shift R</dt>
        <dd>Review what is in review</dd>
      </dl>
    </div>
  );
}

/** Details and editing for the selection: one asset or many at once. */
export function Inspector() {
  const selected = useSelection((s) => s.selected);
  const version = useLibrary((s) => s.cacheVersion);
  // A viewer reads what is here; editing is a contributor's (the server refuses it anyway).
  const mayEdit = useAllowed('assets.edit');

  // A large selection made with shift or select-all may hold assets never scrolled to.
  useEffect(() => {
    if (selected.size > 0 && selected.size <= SUMMARY_LIMIT) void useLibrary.getState().fetch([...selected]);
  }, [selected]);

  const summary = useMemo(() => {
    if (selected.size === 0 || selected.size > SUMMARY_LIMIT) return null;
    const list: Asset[] = [];
    for (const id of selected) {
      const a = cachedAsset(id);
      if (a) list.push(a);
    }
    return summarize(list);
    // `version` is a dependency on purpose: the cache is mutable and read through it.
  }, [selected, version]);

  if (selected.size === 0)
    return (
      <aside className="inspector" aria-label="Details">
        <NothingSelected />
      </aside>
    );

  const single = selected.size === 1 ? summary?.assets[0] : undefined;
  const ids = [...selected];
  const mixed = (v: unknown) => summary === null || v === undefined;
  const totalSize = summary?.assets.reduce((n, a) => n + a.size, 0) ?? 0;

  return (
    <aside className="inspector" aria-label="Details">
      <header className="inspector-head">
        {single ? (
          <>
            <div className="inspector-preview">
              {single.thumbnail ? (
                <img src={api.mediaUrl('thumb', single.id, single.contentHash ?? undefined)} alt="" />
              ) : (
                <TypeIcon asset={single} />
              )}
            </div>
            <h2 className="inspector-title" title={single.name}>
              {single.name}
            </h2>
            <p className="inspector-sub">
              {[formatCaptureDate(single.captureDate, false), formatBytes(single.size)]
                .filter(Boolean)
                .join(' · ')}
            </p>
            <GovernanceLine asset={single} />
          </>
        ) : (
          <>
            <h2 className="inspector-title">{plural(selected.size, 'item')} selected</h2>
            <p className="inspector-sub">
              {summary && summary.assets.length === selected.size
                ? `${formatBytes(totalSize)} in all · edits apply to every one`
                : `Edits apply to all ${formatCount(selected.size)}`}
            </p>
          </>
        )}
      </header>

      <PanelTabs>
        {(tab) =>
          tab === 'rights' ? (
            <RightsPanel ids={ids} assets={summary?.assets ?? []} />
          ) : tab === 'approval' ? (
            <>
              <Section title="Approval">
                <ApprovalPanel ids={ids} assets={summary?.assets ?? []} />
              </Section>
              {single && (
                <Section title="History">
                  <Timeline asset={single} />
                </Section>
              )}
              {single && (
                <Section title="Usage">
                  <UsagePanel assetId={single.id} />
                </Section>
              )}
            </>
          ) : tab === 'versions' ? (
            <VersionsPanel ids={ids} asset={single} />
          ) : tab === 'publish' ? (
            <PublishPanel ids={ids} />
          ) : (
            <>
              <fieldset className="inspector-fields" disabled={!mayEdit}>
                <Section title="Rating & flags">
                  <div className="field-row">
                    <span className="field-label">Rating</span>
                    <StarRating
                      value={mixed(summary?.rating) ? undefined : summary!.rating}
                      onChange={(n) => void rateSelection(n)}
                    />
                  </div>
                  <div className="field-row">
                    <span className="field-label">Label</span>
                    <LabelPicker
                      value={mixed(summary?.label) ? undefined : summary!.label}
                      onChange={(l) => void labelSelection(l)}
                    />
                  </div>
                  <div className="field-row">
                    <span className="field-label">Flag</span>
                    <FlagPicker
                      value={mixed(summary?.flag) ? undefined : summary!.flag}
                      onChange={(f) => void flagSelection(f)}
                    />
                  </div>
                </Section>

                <Section title="Keywords">
                  <KeywordEditor
                    keywords={summary?.keywords ?? []}
                    partial={summary?.partial ?? []}
                    onAdd={(k) =>
                      void editSelection(
                        { keywordsAdd: k },
                        `Keyword ${k.map((x) => `“${x}”`).join(', ')} added`,
                      )
                    }
                    onRemove={(k) => void editSelection({ keywordsRemove: [k] }, `Keyword “${k}” removed`)}
                    readOnly={!mayEdit}
                  />
                </Section>

                <Section title="Auto-tags">
                  <AutoTagsPanel ids={ids} asset={single} />
                </Section>

                <Section title="Caption">
                  <TextField
                    label="Title"
                    value={summary?.title ?? null}
                    mixed={mixed(summary?.title)}
                    onCommit={(v) => void editSelection({ title: v }, v ? 'Title set' : 'Title cleared')}
                  />
                  <TextField
                    label="Description"
                    multiline
                    value={summary?.description ?? null}
                    mixed={mixed(summary?.description)}
                    onCommit={(v) =>
                      void editSelection({ description: v }, v ? 'Description set' : 'Description cleared')
                    }
                  />
                </Section>
              </fieldset>

              {single && (
                <Section title="Metadata">
                  <MetadataPanel asset={single} />
                </Section>
              )}
            </>
          )
        }
      </PanelTabs>
    </aside>
  );
}
