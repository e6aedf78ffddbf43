import crypto from 'node:crypto';
import { APPROVAL_TRANSITIONS, type ApprovalAction, type ApprovalState } from '../../../shared/governance';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import type { MissingRight } from '../../../shared/errors';
import { notFound, refused } from '../errors';
import { enqueue } from '../catalog/jobs.repository';
import { PRIORITY } from '../catalog/job-kinds';
import { anyEndpoint } from '../catalog/endpoints.repository';
import { readFields } from './field-store';
import { readStamps, writeStamp } from './change-log.repository';
import { readSettings, type Actor } from './settings';
import { bump } from './stamps';
import { APPROVAL_STATE_SQL } from './search-sql';
import { todayUtc } from '../../../shared/warnings';
import { channelsLackingRelease } from './model-release';

/** Which action leads where, and from which states it may be taken. */
export const TRANSITIONS = APPROVAL_TRANSITIONS;

/** The approval of a version as merged between catalogues: `version` is the approved bytes' hash. */
export interface ApprovalValue {
  state: ApprovalState;
  actor: string;
  machine: string;
  at: number;
  comment: string | null;
  version: string | null;
}

export interface ApprovalLogEntry {
  uid: string;
  from: ApprovalState;
  to: ApprovalState;
  actor: string;
  machine: string;
  at: number;
  comment: string | null;
  version: string | null;
}

interface CurrentFile {
  file_id: number;
  content_hash: string | null;
}

function currentFile(db: Db, assetId: number): CurrentFile | undefined {
  return stmt(
    db,
    `SELECT s.file_id, f.content_hash FROM asset_search s JOIN files f ON f.id = s.file_id WHERE s.asset_id = ?`,
  ).get(assetId) as CurrentFile | undefined;
}

/** The state people see: the current version's decision, "in review" once a newer version replaced it. */
export function effectiveState(db: Db, assetId: number): ApprovalState {
  return ((stmt(db, `SELECT ${APPROVAL_STATE_SQL} FROM asset_search s WHERE s.asset_id = ?`)
    .pluck()
    .get(assetId) as ApprovalState | undefined) ?? 'draft') as ApprovalState;
}

/** The stored decision on the current version (what sidecars carry), or null. */
export function readApproval(db: Db, assetId: number): ApprovalValue | null {
  const row = stmt(
    db,
    `SELECT ap.state, ap.actor, ap.machine, ap.at, ap.comment, ap.content_hash AS version
       FROM asset_search s JOIN approvals ap ON ap.asset_id = s.asset_id AND ap.file_id = s.file_id
      WHERE s.asset_id = ?`,
  ).get(assetId) as ApprovalValue | undefined;
  return row ?? null;
}

/** Store a decision taken elsewhere, on the version it was taken on when this catalogue has it. */
export function adoptApproval(db: Db, assetId: number, v: ApprovalValue): void {
  const cur = currentFile(db, assetId);
  if (!cur) return;
  const byHash =
    v.version == null
      ? undefined
      : (stmt(db, `SELECT id FROM files WHERE asset_id = ? AND content_hash = ? ORDER BY id DESC LIMIT 1`)
          .pluck()
          .get(assetId, v.version) as number | undefined);
  stmt(
    db,
    `INSERT OR REPLACE INTO approvals (asset_id, file_id, state, actor, machine, at, comment, content_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(assetId, byHash ?? cur.file_id, v.state, v.actor, v.machine, v.at, v.comment, v.version);
}

export function appendApprovalLog(db: Db, assetId: number, e: ApprovalLogEntry): boolean {
  const fileId =
    e.version == null
      ? null
      : (stmt(db, `SELECT id FROM files WHERE asset_id = ? AND content_hash = ? ORDER BY id DESC LIMIT 1`)
          .pluck()
          .get(assetId, e.version) as number | undefined);
  return (
    stmt(
      db,
      `INSERT OR IGNORE INTO approval_log (uid, asset_id, file_id, content_hash, from_state, to_state, actor, machine, at, comment)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(e.uid, assetId, fileId ?? null, e.version, e.from, e.to, e.actor, e.machine, e.at, e.comment)
      .changes > 0
  );
}

export function listApprovalLog(db: Db, assetId: number): ApprovalLogEntry[] {
  return stmt(
    db,
    `SELECT uid, from_state AS "from", to_state AS "to", actor, machine, at, comment, content_hash AS version
       FROM approval_log WHERE asset_id = ? ORDER BY at, id`,
  ).all(assetId) as ApprovalLogEntry[];
}

/** Why these rights do not allow approval (none missing when they do). */
export function rightsProblems(
  db: Db,
  assetId: number,
  today = todayUtc(),
): { missing: MissingRight[]; licenseEnd: string | null } {
  const f = readFields(db, assetId);
  const missing: MissingRight[] = [];
  if (!f.credit) missing.push('no-credit');
  if (!f.licenseType) missing.push('no-license');
  if (f.licenseEnd && f.licenseEnd < today) missing.push('expired');
  return { missing, licenseEnd: f.licenseEnd ?? null };
}

const MISSING_WORDS: Record<MissingRight, (licenseEnd: string | null) => string> = {
  'no-credit': () => 'no credit line',
  'no-license': () => 'no licence type',
  expired: (end) => `the licence ended on ${end}`,
};

const ACTION_WORDS: Record<ApprovalAction, string> = {
  submit: 'submit',
  approve: 'approve',
  'request-changes': 'request changes on',
  reject: 'reject',
  retire: 'retire',
};

/**
 * Move an asset's current version through the approval workflow, inside one transaction: the log
 * entry, the decision and its merge stamp. Refuses (wrong-state, rights-required) what the workflow or
 * the rights rule does not allow.
 */
export function applyTransition(
  db: Db,
  assetId: number,
  action: ApprovalAction,
  who: Actor,
  origin: string,
  comment: string | null = null,
): { from: ApprovalState; to: ApprovalState } {
  return db.transaction(() => {
    const cur = currentFile(db, assetId);
    if (!cur) throw notFound(`no asset ${assetId} in the catalogue`);
    const from = effectiveState(db, assetId);
    const rule = TRANSITIONS[action];
    if (!rule.from.includes(from)) {
      const hint = action === 'approve' && from !== 'approved' ? ' (submit it for review first)' : '';
      throw refused('wrong-state', `cannot ${ACTION_WORDS[action]} asset ${assetId}: it is ${from}${hint}`, {
        state: from,
      });
    }
    if (action === 'approve' && readSettings(db).requireRightsForApproval) {
      const { missing, licenseEnd } = rightsProblems(db, assetId);
      if (missing.length)
        throw refused(
          'rights-required',
          `cannot approve asset ${assetId}: ${missing.map((m) => MISSING_WORDS[m](licenseEnd)).join(', ')} ` +
            `(rights are required for approval; switch the rule off with: dam config require-rights-for-approval off)`,
          { missing, ...(licenseEnd && missing.includes('expired') ? { licenseEnd } : {}) },
        );
    }
    if (action === 'approve') {
      // Not lifted by require-rights-for-approval: this rule has its own setting, off when empty.
      const channels = channelsLackingRelease(db, assetId);
      if (channels.length)
        throw refused(
          'model-release-required',
          `cannot approve asset ${assetId}: no model release, and people are in the picture ` +
            `(${channels.join(' and ')} ${channels.length > 1 ? 'need' : 'needs'} one; record it with: ` +
            `dam set ${assetId} modelRelease=unlimited, or change the rule with: dam config model-release-channels)`,
          { channels },
        );
    }
    const at = Date.now();
    const text = comment?.trim() || null;
    appendApprovalLog(db, assetId, {
      uid: `${origin}-${at.toString(36)}-${crypto.randomBytes(3).toString('hex')}`,
      from,
      to: rule.to,
      actor: who.user,
      machine: who.machine,
      at,
      comment: text,
      version: cur.content_hash,
    });
    stmt(
      db,
      `INSERT OR REPLACE INTO approvals (asset_id, file_id, state, actor, machine, at, comment, content_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(assetId, cur.file_id, rule.to, who.user, who.machine, at, text, cur.content_hash);
    const prev = readStamps(db, assetId).get('approval');
    writeStamp(db, assetId, 'approval', {
      clock: bump(prev?.clock ?? {}, origin),
      at,
      origin,
      actor: who.user,
      machine: who.machine,
    });
    enqueue(db, 'sidecar', assetId, { priority: PRIORITY.interactive, now: at });
    // The outbox: what this decision owes the endpoints is owed in the same transaction.
    if (anyEndpoint(db)) enqueue(db, 'publish', assetId, { now: at });
    return { from, to: rule.to };
  })();
}
