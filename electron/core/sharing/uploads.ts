import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../../../shared/format';
import {
  DEFAULT_UPLOAD_FOLDER,
  DEFAULT_UPLOAD_MAX_SIZE,
  type CreatedUploadLink,
  type UploadLinkInfo,
} from '../../../shared/sharing';
import { assetIdOf, getFileByPath } from '../catalog/files.repository';
import type { Db } from '../catalog/open';
import { getRoot } from '../catalog/roots.repository';
import {
  allUploadLinks,
  completedUploadCount,
  deleteUpload,
  insertUpload,
  insertUploadLink,
  markUploadLanded,
  revokeUploadLink,
  setUploadAsset,
  staleUploads,
  uploadByKey,
  uploadLinkById,
  uploadLinkByTokenHash,
  type UploadLinkRow,
  type UploadRow,
} from '../catalog/uploads.repository';
import { conflict, invalidInput, notFound, refused, unavailable } from '../errors';
import type { CoreEventBus } from '../events';
import { reconcileFormat, sniffFormat } from '../formats/sniff';
import { formatFromExt } from '../ingest/formats/file-types';
import { recordOneFile } from '../ingest/scanner';
import { isInside } from '../paths';
import { tempNameFor } from '../temp-files';
import { numbered, safeFolder, safeSegment } from './file-names';
import { expiryOf, hashToken, isTokenShaped, newToken } from './secrets';
import { linkState } from './shares';

export interface UploadsDeps {
  db: Db;
  events: CoreEventBus;
  actor: () => string;
  /** The catalogue folder: parts are kept in its uploads/ until complete. */
  catalogDir: string;
  /** Start on work owed (the landed file's `process` job). */
  kick: () => void;
  whenProcessed: (fileId: number) => Promise<void>;
}

export type UploadLinkAccess =
  { ok: true; link: UploadLinkRow } | { ok: false; status: 404 | 410; message: string };

/** An upload not finished within this long is given up: its part file is removed. */
export const ABANDONED_MS = 7 * 86_400_000;
/** How much of a file's start the sniffer reads to tell its type. */
const HEAD_BYTES = 4096;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The upload portal: links into a root's inbox folder, and the files sent through them, in
 * chunks that resume (the bytes received so far are the part file's size, so a dropped connection
 * loses only what had not arrived). A complete file is checked (its extension names a type we
 * catalogue, and its first bytes are that type), moved into FOLDER/UPLOADER/ under a safe name
 * without replacing anything, and handed to ingest as a watch event would be.
 */
export class UploadPortal {
  /** Uploads a request is writing to now: a second writer is refused, not interleaved. */
  private readonly busy = new Set<string>();
  private readonly partsDir: string;

  constructor(private readonly deps: UploadsDeps) {
    this.partsDir = path.join(deps.catalogDir, 'uploads');
  }

  createLink(
    input: {
      rootId: number;
      folder?: string | undefined;
      expires?: string | null | undefined;
      maxSize?: number | undefined;
    },
    now = Date.now(),
  ): CreatedUploadLink {
    const { db } = this.deps;
    if (!getRoot(db, input.rootId)) throw notFound(`no root ${input.rootId}`);
    let expiresAt: number | null = null;
    if (input.expires) {
      expiresAt = expiryOf(input.expires);
      if (Number.isNaN(expiresAt))
        throw invalidInput(`--expires: "${input.expires}" is not a date like 2027-01-31`);
      if (expiresAt <= now) throw invalidInput(`the expiry date ${input.expires} has passed`);
    }
    const token = newToken();
    const id = insertUploadLink(db, {
      token_hash: hashToken(token),
      root_id: input.rootId,
      folder: safeFolder(input.folder ?? '', DEFAULT_UPLOAD_FOLDER),
      created_by: this.deps.actor(),
      created_at: now,
      expires_at: expiresAt,
      max_size: input.maxSize ?? DEFAULT_UPLOAD_MAX_SIZE,
    });
    return { link: this.info(uploadLinkById(db, id)!, now), token, path: `/u/${token}` };
  }

  listLinks(now = Date.now()): UploadLinkInfo[] {
    return allUploadLinks(this.deps.db).map((l) => this.info(l, now));
  }

  revokeLink(id: number, now = Date.now()): UploadLinkInfo {
    if (!uploadLinkById(this.deps.db, id)) throw notFound(`no upload link ${id}`);
    revokeUploadLink(this.deps.db, id, now);
    return this.info(uploadLinkById(this.deps.db, id)!, now);
  }

  open(token: string, now = Date.now()): UploadLinkAccess {
    const link = isTokenShaped(token) ? uploadLinkByTokenHash(this.deps.db, hashToken(token)) : undefined;
    if (!link)
      return { ok: false, status: 404, message: 'There is no such link. Check the address you were given.' };
    const state = linkState(link, now);
    if (state === 'revoked') return { ok: false, status: 410, message: 'This upload link was withdrawn.' };
    if (state === 'expired') return { ok: false, status: 410, message: 'This upload link has expired.' };
    if (!getRoot(this.deps.db, link.root_id))
      return { ok: false, status: 410, message: 'The folder this link uploads into is gone.' };
    return { ok: true, link };
  }

  /** Starts a file: checks its size and type by name; the answer's key names it in later requests. */
  begin(
    link: UploadLinkRow,
    input: { name: string; size: number; uploader: string; note?: string | null | undefined },
    now = Date.now(),
  ): { key: string; offset: number; size: number } {
    const uploader = input.uploader.normalize('NFC').trim();
    if (!uploader) throw invalidInput('say who you are: your name is needed');
    if (!Number.isSafeInteger(input.size) || input.size < 1)
      throw invalidInput('an empty file cannot be uploaded');
    if (input.size > link.max_size)
      throw refused(
        'too-large',
        `${input.name} is larger than this link accepts (${formatBytes(link.max_size)})`,
      );
    const ext = path.extname(safeSegment(input.name, '')).slice(1);
    if (formatFromExt(ext) === 'other')
      throw refused(
        'wrong-type',
        `${input.name}: this link accepts pictures, RAW, video, audio and design files`,
      );
    const key = crypto.randomBytes(16).toString('base64url');
    insertUpload(this.deps.db, {
      key,
      link_id: link.id,
      name: input.name.normalize('NFC').slice(0, 1000),
      size: input.size,
      uploader: uploader.slice(0, 200),
      note: input.note?.trim().slice(0, 2000) || null,
      created_at: now,
    });
    fs.mkdirSync(this.partsDir, { recursive: true });
    fs.writeFileSync(this.partFile(key), '');
    return { key, offset: 0, size: input.size };
  }

  /** How much of an upload has arrived. */
  status(link: UploadLinkRow, key: string): { offset: number; size: number; complete: boolean } {
    const u = this.upload(link, key);
    if (u.completed_at !== null) return { offset: u.size, size: u.size, complete: true };
    return { offset: this.received(key), size: u.size, complete: false };
  }

  /**
   * Appends the body at `offset` (which must be what has arrived). Whatever arrives before a
   * dropped connection is kept, so the client resumes from the offset HEAD reports. The last
   * byte lands the file.
   */
  async append(
    link: UploadLinkRow,
    key: string,
    offset: number,
    body: AsyncIterable<Buffer>,
  ): Promise<{ offset: number; size: number; complete: boolean; path?: string }> {
    const u = this.upload(link, key);
    if (u.completed_at !== null) throw conflict('this upload is already complete');
    if (this.busy.has(key)) throw conflict('this upload is being written by another request');
    this.busy.add(key);
    try {
      const have = this.received(key);
      if (offset !== have) throw conflict(`the upload is at byte ${have}, not ${offset}: resume from there`);
      const handle = await fs.promises.open(this.partFile(key), 'a');
      let at = have;
      let over = false;
      try {
        for await (const chunk of body) {
          const room = u.size - at;
          if (chunk.length > room) {
            over = true;
            if (room > 0) await handle.write(chunk.subarray(0, room));
            at = u.size;
            break;
          }
          await handle.write(chunk);
          at += chunk.length;
        }
      } catch {
        // The connection dropped: what arrived is kept, and the client resumes from it.
      } finally {
        await handle.close();
      }
      if (over) {
        this.discard(u);
        throw refused('too-large', `${u.name}: more bytes were sent than the size announced`);
      }
      if (at >= Math.min(u.size, HEAD_BYTES)) this.checkType(u);
      if (at < u.size) return { offset: at, size: u.size, complete: false };
      const landed = this.land(link, u);
      return { offset: u.size, size: u.size, complete: true, path: landed };
    } finally {
      this.busy.delete(key);
    }
  }

  /** Uploads begun and never finished for a week: their parts go (the next catalogue open does this). */
  cleanAbandoned(now = Date.now()): number {
    const stale = staleUploads(this.deps.db, now - ABANDONED_MS);
    for (const u of stale) this.discard(u);
    return stale.length;
  }

  private upload(link: UploadLinkRow, key: string): UploadRow {
    const u = /^[A-Za-z0-9_-]{22}$/.test(key) ? uploadByKey(this.deps.db, key) : undefined;
    if (!u || u.link_id !== link.id) throw notFound('no such upload: start it again');
    return u;
  }

  private partFile(key: string): string {
    return path.join(this.partsDir, `${key}.part`);
  }

  private received(key: string): number {
    return fs.statSync(this.partFile(key), { throwIfNoEntry: false })?.size ?? 0;
  }

  private discard(u: UploadRow): void {
    fs.rmSync(this.partFile(u.key), { force: true });
    deleteUpload(this.deps.db, u.id);
  }

  /** The extension names a type we catalogue and the first bytes are that type (a renamed .exe is not a .jpg). */
  private checkType(u: UploadRow): void {
    const fd = fs.openSync(this.partFile(u.key), 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    let n: number;
    try {
      n = fs.readSync(fd, head, 0, HEAD_BYTES, 0);
    } finally {
      fs.closeSync(fd);
    }
    const byExt = formatFromExt(path.extname(safeSegment(u.name, '')).slice(1));
    const sniffed = sniffFormat(head.subarray(0, n));
    if (byExt === 'other' || sniffed === null || reconcileFormat(byExt, sniffed).mismatch) {
      this.discard(u);
      throw refused('wrong-type', `${u.name}: its content is not the kind of file its name says`);
    }
  }

  /** Moves the complete part into FOLDER/UPLOADER/NAME (never over a file: NAME-2, -3…) and catalogues it. */
  private land(link: UploadLinkRow, u: UploadRow): string {
    const { db } = this.deps;
    const root = getRoot(db, link.root_id);
    if (!root) throw unavailable('the folder this link uploads into is gone');
    if (root.state !== 'online')
      throw unavailable(`the folder ${root.name} is offline: try again later`, { reason: 'offline' });
    const rootReal = fs.realpathSync(root.path);
    const dir = path.join(rootReal, ...link.folder.split('/'), safeSegment(u.uploader, 'Anonymous'));
    fs.mkdirSync(dir, { recursive: true });
    // A folder on the way that is a link out of the root must not take the file elsewhere.
    if (!isInside(rootReal, fs.realpathSync(dir)))
      throw refused('not-writable', 'the inbox folder leads outside its root');
    const name = safeSegment(u.name, 'upload');
    const part = this.partFile(u.key);
    let source = part;
    let dest = '';
    try {
      for (let n = 1; ; n++) {
        dest = path.join(dir, numbered(name, n));
        try {
          // A hard link never replaces what is there (EEXIST), and the name appears whole at once.
          fs.linkSync(source, dest);
          break;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') continue;
          if (code !== 'EXDEV' || source !== part) throw err;
          // The catalogue is on another disk: copy beside the target first (a temp name scans
          // treat as a writer's debris), then link that.
          source = path.join(dir, tempNameFor(name));
          fs.copyFileSync(part, source, fs.constants.COPYFILE_EXCL);
          n--;
        }
      }
    } finally {
      if (source !== part) fs.rmSync(source, { force: true });
    }
    fs.rmSync(part, { force: true });
    const relPath = path.relative(rootReal, dest).split(path.sep).join('/');
    const st = fs.statSync(dest);
    recordOneFile(db, root.id, {
      relPath,
      size: st.size,
      mtimeMs: Math.trunc(st.mtimeMs),
      dev: st.dev,
      ino: st.ino,
    });
    markUploadLanded(db, u.id, root.id, relPath, Date.now());
    this.deps.kick();
    const file = getFileByPath(db, root.id, relPath);
    if (file) void this.announce(link, u, file.id, relPath);
    return relPath;
  }

  /** Once ingest has read the file: the asset is known, its history shows the upload, the studio is told. */
  private async announce(link: UploadLinkRow, u: UploadRow, fileId: number, relPath: string): Promise<void> {
    let assetId: number | null = null;
    try {
      await this.deps.whenProcessed(fileId);
      assetId = assetIdOf(this.deps.db, fileId);
      setUploadAsset(this.deps.db, u.id, assetId);
    } catch {
      // The catalogue closed first, or the file went: the upload is still recorded by its path.
    }
    this.deps.events.emit('upload-received', {
      linkId: link.id,
      uploader: u.uploader,
      note: u.note,
      path: relPath,
      assetId,
    });
  }

  private info(l: UploadLinkRow, now: number): UploadLinkInfo {
    return {
      id: l.id,
      rootId: l.root_id,
      folder: l.folder,
      createdBy: l.created_by,
      createdAt: iso(l.created_at)!,
      expiresAt: iso(l.expires_at),
      maxSize: l.max_size,
      revokedAt: iso(l.revoked_at),
      state: linkState(l, now),
      uploads: completedUploadCount(this.deps.db, l.id),
    };
  }
}
