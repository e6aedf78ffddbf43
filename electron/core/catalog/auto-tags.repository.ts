import type { AutoTag, AutoTagKind, AutoTagState, TagBox } from '../../../shared/auto-tags';
import type { Db } from './open';
import { stmt } from './statements';

/**
 * Auto-tags, the user's decisions on them, and the record of which analyser (at which model
 * version) looked at which content of an asset. SQL only: what to tag and when is tagging/'s.
 */

/** One tag as an analyser proposes it (the state comes from the asset's decisions when stored). */
export interface NewAutoTag {
  kind: AutoTagKind;
  label: string;
  confidence: number;
  box: TagBox | null;
  model: string;
  modelVersion: string;
  extra?: string | null;
}

export interface TaggingRun {
  analyser: string;
  modelVersion: string;
  contentHash: string | null;
  error: string | null;
}

/** What a tagging job reads about its asset: the file to look at and whether it may be tagged. */
export interface TaggingTarget {
  assetId: number;
  fileId: number;
  abs: string;
  format: string;
  type: string;
  contentHash: string | null;
  thumb: string | null;
  fileError: string | null;
  rootOnline: boolean;
  rootTagging: boolean;
}

/** Asset types whose pixels are tagged (a video is not, yet). */
export const TAGGED_TYPES = `('image', 'raw', 'design')`;

export function taggingTarget(db: Db, assetId: number): TaggingTarget | undefined {
  const r = stmt(
    db,
    `SELECT s.asset_id, f.id AS file_id, r.path || '/' || f.rel_path AS abs, f.format, s.type,
            f.content_hash, f.thumb, f.error, r.state = 'online' AS online, r.tagging
       FROM asset_search s JOIN files f ON f.id = s.file_id JOIN roots r ON r.id = f.root_id
      WHERE s.asset_id = ?`,
  ).get(assetId) as
    | {
        asset_id: number;
        file_id: number;
        abs: string;
        format: string;
        type: string;
        content_hash: string | null;
        thumb: string | null;
        error: string | null;
        online: number;
        tagging: number;
      }
    | undefined;
  if (!r) return undefined;
  return {
    assetId: r.asset_id,
    fileId: r.file_id,
    abs: r.abs,
    format: r.format,
    type: r.type,
    contentHash: r.content_hash,
    thumb: r.thumb,
    fileError: r.error,
    rootOnline: r.online === 1,
    rootTagging: r.tagging === 1,
  };
}

export function taggingRuns(db: Db, assetId: number): TaggingRun[] {
  return stmt(
    db,
    `SELECT analyser, model_version AS modelVersion, content_hash AS contentHash, error
       FROM tagging_runs WHERE asset_id = ? ORDER BY analyser`,
  ).all(assetId) as TaggingRun[];
}

/**
 * An analyser's results for an asset replace its earlier ones; labels the user decided on keep
 * that decision. Call inside the transaction that stores the run (recordRun) and settles the job.
 */
export function replaceAutoTags(
  db: Db,
  assetId: number,
  fileId: number | null,
  analyser: string,
  tags: readonly NewAutoTag[],
): void {
  stmt(db, `DELETE FROM auto_tags WHERE asset_id = ? AND analyser = ?`).run(assetId, analyser);
  const insert = stmt(
    db,
    `INSERT INTO auto_tags (asset_id, file_id, analyser, kind, label, confidence, box_x, box_y, box_w, box_h,
                            model, model_version, state, extra)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
             coalesce((SELECT decision FROM auto_tag_decisions WHERE asset_id = ? AND kind = ? AND label = ?), 'proposed'),
             ?)`,
  );
  for (const t of tags)
    insert.run(
      assetId,
      fileId,
      analyser,
      t.kind,
      t.label,
      t.confidence,
      t.box?.x ?? null,
      t.box?.y ?? null,
      t.box?.w ?? null,
      t.box?.h ?? null,
      t.model,
      t.modelVersion,
      assetId,
      t.kind,
      t.label,
      t.extra ?? null,
    );
}

export function recordRun(db: Db, assetId: number, run: TaggingRun, now = Date.now()): void {
  stmt(
    db,
    `INSERT OR REPLACE INTO tagging_runs (asset_id, analyser, model_version, content_hash, at, error)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(assetId, run.analyser, run.modelVersion, run.contentHash, now, run.error);
}

interface TagRow {
  label: string;
  kind: AutoTagKind;
  confidence: number;
  box_x: number | null;
  box_y: number | null;
  box_w: number | null;
  box_h: number | null;
  model: string;
  model_version: string;
  state: AutoTagState;
}

function toAutoTag(r: TagRow): AutoTag {
  return {
    label: r.label,
    kind: r.kind,
    confidence: Math.round(r.confidence * 1000) / 1000,
    box: r.box_x == null ? null : { x: r.box_x, y: r.box_y!, w: r.box_w!, h: r.box_h! },
    model: r.model,
    modelVersion: r.model_version,
    state: r.state,
  };
}

/** An asset's auto-tags, most confident first. */
export function autoTagsOf(db: Db, assetId: number): AutoTag[] {
  return (
    stmt(
      db,
      `SELECT label, kind, confidence, box_x, box_y, box_w, box_h, model, model_version, state
         FROM auto_tags WHERE asset_id = ? ORDER BY confidence DESC, id`,
    ).all(assetId) as TagRow[]
  ).map(toAutoTag);
}

/** The labels of these kinds an asset has (any state), for accept/reject to check against. */
export function labelsOf(
  db: Db,
  assetId: number,
): { kind: AutoTagKind; label: string; state: AutoTagState }[] {
  return stmt(
    db,
    `SELECT DISTINCT kind, label, state FROM auto_tags WHERE asset_id = ? ORDER BY kind, label`,
  ).all(assetId) as { kind: AutoTagKind; label: string; state: AutoTagState }[];
}

/** The user's decision on a label of an asset: kept for later runs, and applied to the tags there are. */
export function decide(
  db: Db,
  assetId: number,
  kind: AutoTagKind,
  label: string,
  decision: 'accepted' | 'rejected',
  now = Date.now(),
): void {
  stmt(
    db,
    `INSERT OR REPLACE INTO auto_tag_decisions (asset_id, kind, label, decision, at) VALUES (?, ?, ?, ?, ?)`,
  ).run(assetId, kind, label, decision, now);
  stmt(db, `UPDATE auto_tags SET state = ? WHERE asset_id = ? AND kind = ? AND label = ?`).run(
    decision,
    assetId,
    kind,
    label,
  );
}

/** The user's decision on a label of an asset taken back: the label is proposed again (undo). */
export function undecide(db: Db, assetId: number, kind: AutoTagKind, label: string): void {
  stmt(db, `DELETE FROM auto_tag_decisions WHERE asset_id = ? AND kind = ? AND label = ?`).run(
    assetId,
    kind,
    label,
  );
  stmt(db, `UPDATE auto_tags SET state = 'proposed' WHERE asset_id = ? AND kind = ? AND label = ?`).run(
    assetId,
    kind,
    label,
  );
}

/**
 * Image assets on online roots with tagging on that some analyser has not looked at in a version
 * that counts as done (its current one; the text analyser's skip also counts under ocr auto).
 */
export function untaggedAssetIds(
  db: Db,
  analysers: readonly { name: string; modelVersions: readonly string[] }[],
): number[] {
  if (!analysers.length) return [];
  const checks = analysers
    .map(
      (a) =>
        `NOT EXISTS (SELECT 1 FROM tagging_runs t WHERE t.asset_id = s.asset_id AND t.analyser = ?
                      AND t.model_version IN (${a.modelVersions.map(() => '?').join(', ')})
                      AND t.content_hash IS f.content_hash)`,
    )
    .join(' OR ');
  return db
    .prepare(
      `SELECT s.asset_id FROM asset_search s JOIN files f ON f.id = s.file_id JOIN roots r ON r.id = s.root_id
        WHERE s.type IN ${TAGGED_TYPES} AND s.state = 'present' AND r.tagging = 1 AND f.content_hash IS NOT NULL
          AND (${checks})
        ORDER BY s.asset_id`,
    )
    .pluck()
    .all(...analysers.flatMap((a) => [a.name, ...a.modelVersions])) as number[];
}

/** Counts for the status line: assets tagged (every run without error) and failed (a run with one). */
export function taggingCounts(db: Db): { tagged: number; failed: number } {
  return stmt(
    db,
    `SELECT count(*) FILTER (WHERE failed = 0) AS tagged, count(*) FILTER (WHERE failed = 1) AS failed
       FROM (SELECT asset_id, max(error IS NOT NULL) AS failed FROM tagging_runs GROUP BY asset_id)`,
  ).get() as { tagged: number; failed: number };
}

/** The error kept from an asset's last tagging run, if any. */
export function taggingError(db: Db, assetId: number): string | null {
  return (
    (stmt(db, `SELECT error FROM tagging_runs WHERE asset_id = ? AND error IS NOT NULL LIMIT 1`)
      .pluck()
      .get(assetId) as string | undefined) ?? null
  );
}

export function setRootTagging(db: Db, rootId: number, on: boolean): void {
  stmt(db, `UPDATE roots SET tagging = ? WHERE id = ?`).run(on ? 1 : 0, rootId);
}

/** Object labels with how many assets carry them (not rejected), most frequent first. */
export function labelFacet(db: Db, kind: AutoTagKind, limit = 100): { label: string; count: number }[] {
  return stmt(
    db,
    `SELECT label, count(DISTINCT asset_id) AS count FROM auto_tags
      WHERE kind = ? AND state <> 'rejected' GROUP BY label ORDER BY count DESC, label LIMIT ?`,
  ).all(kind, limit) as { label: string; count: number }[];
}

/** The catalogue's tagging settings (in the settings table). */
export type TaggingSettingKey = 'tagging' | 'tagging-threshold' | 'ocr';

/** A tagging setting ('tagging' on|off, 'tagging-threshold', 'ocr' off|auto|all). */
export function taggingSetting(db: Db, key: TaggingSettingKey): string | undefined {
  return stmt(db, `SELECT value FROM settings WHERE key = ?`).pluck().get(key) as string | undefined;
}

export function putTaggingSetting(db: Db, key: TaggingSettingKey, value: string): void {
  stmt(db, `INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`).run(key, value);
}

/** The labels the user accepted on an asset (they became keywords), by kind. */
export function acceptedLabels(db: Db, assetId: number): { kind: AutoTagKind; label: string }[] {
  return stmt(
    db,
    `SELECT kind, label FROM auto_tag_decisions WHERE asset_id = ? AND decision = 'accepted' ORDER BY kind, label`,
  ).all(assetId) as { kind: AutoTagKind; label: string }[];
}
