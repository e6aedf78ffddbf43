import type { ApprovalLogEntry, ApprovalValue } from './approvals';
import { emptyValue, FIELDS, sameValue, valueHash, type FieldName, type FieldValues } from './fields';
import type { ConflictRecord } from './change-log.repository';
import { bump, clockText, compareClocks, EXTERNAL, isNewer, joinClocks, type Stamp } from './stamps';
import type { SidecarData } from './xmp-read';

export type MergeField = FieldName | 'approval';

export interface LocalState {
  values: FieldValues;
  approval: ApprovalValue | null;
  stamps: Map<string, Stamp>;
  conflictIds: Set<string>;
  approvalLogIds: Set<string>;
}

export interface MergeOutcome {
  /** Remote values that replace local ones (with the stamp they now carry). */
  adopt: { field: MergeField; value: unknown; previous: unknown; stamp: Stamp }[];
  /** Local values that stay, under a new stamp (the join of both clocks after a conflict). */
  restamp: { field: MergeField; stamp: Stamp }[];
  /** Conflicts to add to the local history: found by this merge, or recorded by another machine. */
  conflicts: ConflictRecord[];
  approvalLog: ApprovalLogEntry[];
  /** The sidecar lacks something this catalogue has: write it back. */
  rewrite: boolean;
}

/** The same ApprovalValue always serialises the same (it is compared and hashed as JSON). */
export function approvalCanon(a: ApprovalValue | null | undefined): ApprovalValue | null {
  if (!a) return null;
  return {
    state: a.state,
    actor: a.actor,
    machine: a.machine,
    at: a.at,
    comment: a.comment ?? null,
    version: a.version ?? null,
  };
}

export function conflictId(field: string, loser: Stamp): string {
  return `${field}:${loser.origin}:${clockText(loser.clock)}`;
}

function conflict(
  field: string,
  loser: Stamp,
  lost: unknown,
  kept: unknown,
  id = conflictId(field, loser),
): ConflictRecord {
  return { id, field, lost, kept, at: loser.at, actor: loser.actor, machine: loser.machine };
}

/**
 * Field-by-field merge of this catalogue's state with a sidecar's. A field edited on one side only
 * takes that side's value; a field edited on both sides without either seeing the other keeps the
 * newer value and records the other as a conflict; fields the sidecar says nothing about stay as
 * they are. A value another tool changed in the sidecar (no stamp, or a stamp whose fingerprint no
 * longer matches) counts as an edit made when the sidecar was last modified.
 */
export function mergeSidecar(local: LocalState, remote: SidecarData, sidecarMtime: number): MergeOutcome {
  const out: MergeOutcome = { adopt: [], restamp: [], conflicts: [], approvalLog: [], rewrite: false };
  const seenConflicts = new Set(local.conflictIds);
  const addConflict = (c: ConflictRecord) => {
    if (seenConflicts.has(c.id)) return;
    seenConflicts.add(c.id);
    out.conflicts.push(c);
  };

  const fields: MergeField[] = [...FIELDS, 'approval'];
  for (const f of fields) {
    const L: unknown = f === 'approval' ? approvalCanon(local.approval) : local.values[f];
    const Ls = local.stamps.get(f) ?? null;
    const Rs = remote.stamps.get(f) ?? null;
    const present = f === 'approval' ? remote.approval !== undefined : f in remote.values;
    const empty = f === 'approval' ? null : emptyValue(f);
    const Rv: unknown = present
      ? f === 'approval'
        ? approvalCanon(remote.approval)
        : remote.values[f]
      : Rs
        ? empty
        : undefined;
    const localEdited = Ls !== null && Object.keys(Ls.clock).length > 0;

    if (Rv === undefined) {
      // The sidecar says nothing about this field: publish it if it was edited here.
      if (localEdited) out.rewrite = true;
      continue;
    }
    // An approval cannot be taken back by a sidecar that lost it; its log still merges below.
    if (f === 'approval' && Rv === null) {
      if (L !== null) out.rewrite = true;
      continue;
    }

    if (Rs && Rs.hash === valueHash(Rv)) {
      const order = compareClocks(Ls?.clock ?? {}, Rs.clock);
      if (order === 'before') {
        out.adopt.push({ field: f, value: Rv, previous: L, stamp: Rs });
      } else if (order === 'after') {
        out.rewrite = true;
      } else if (order === 'concurrent') {
        const local = Ls!;
        const remoteWins = isNewer(Rs, local);
        const joined = joinClocks(local.clock, Rs.clock);
        if (!sameValue(L, Rv)) addConflict(remoteWins ? conflict(f, local, L, Rv) : conflict(f, Rs, Rv, L));
        if (remoteWins) out.adopt.push({ field: f, value: Rv, previous: L, stamp: { ...Rs, clock: joined } });
        else out.restamp.push({ field: f, stamp: { ...local, clock: joined } });
        out.rewrite = true;
      }
      continue;
    }

    // Changed by another tool.
    if (sameValue(L, Rv)) continue;
    const ext: Stamp = {
      clock: bump(joinClocks(Ls?.clock ?? {}, Rs?.clock ?? {}), EXTERNAL),
      at: sidecarMtime,
      origin: EXTERNAL,
      actor: 'another application',
      machine: 'sidecar',
    };
    if (!Ls || Ls.at <= sidecarMtime) {
      out.adopt.push({ field: f, value: Rv, previous: L, stamp: ext });
      const order = Rs ? compareClocks(Ls?.clock ?? {}, Rs.clock) : 'after';
      if (Ls && localEdited && Ls.origin !== EXTERNAL && (order === 'after' || order === 'concurrent')) {
        // The other tool never saw this catalogue's edit: keep it in the history.
        addConflict(conflict(f, Ls, L, Rv));
        out.rewrite = true;
      }
    } else {
      addConflict(conflict(f, ext, Rv, L, `${f}:${EXTERNAL}:${valueHash(Rv)}`));
      out.rewrite = true;
    }
  }

  for (const c of remote.conflicts) addConflict(c);
  const remoteConflictIds = new Set(remote.conflicts.map((c) => c.id));
  if (
    [...local.conflictIds].some((id) => !remoteConflictIds.has(id)) ||
    out.conflicts.some((c) => !remoteConflictIds.has(c.id))
  )
    out.rewrite = true;

  const remoteLogIds = new Set(remote.approvalLog.map((e) => e.uid));
  out.approvalLog = remote.approvalLog.filter((e) => !local.approvalLogIds.has(e.uid));
  if ([...local.approvalLogIds].some((id) => !remoteLogIds.has(id))) out.rewrite = true;
  return out;
}
