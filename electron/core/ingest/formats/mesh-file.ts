import fs from 'node:fs';
import path from 'node:path';
import { bufferSource, openFileSource, type ByteSource, type OpenSource } from '../../formats/byte-source';
import { readMeshFile, type MeshFile } from '../../formats/mesh';

// One read of a 3D file per ingest: the metadata reader and the renderer both ask for it, and
// the second gets the first's result (a file's mesh is parsed once, however large).

const READ_AHEAD = 256 * 1024;

/** Opens a buffer a .gltf names, only inside the .gltf's own folder (no "..", no absolute path, no link). */
function resolverFor(file: string, opened: OpenSource[]) {
  const dir = path.dirname(file);
  return async (uri: string): Promise<ByteSource | null> => {
    let rel: string;
    try {
      rel = decodeURIComponent(uri);
    } catch {
      return null;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(rel) || path.isAbsolute(rel) || rel.includes('\0')) return null;
    if (rel.split(/[\\/]/).includes('..')) return null;
    const target = path.join(dir, rel);
    try {
      const st = await fs.promises.lstat(target);
      if (!st.isFile()) return null;
    } catch {
      return null;
    }
    const src = await openFileSource(target, { readAhead: READ_AHEAD });
    opened.push(src);
    return src;
  };
}

async function load(input: { path: string; buffer?: Buffer }): Promise<MeshFile> {
  const ext = path.extname(input.path).slice(1);
  const opened: OpenSource[] = [];
  const src = input.buffer
    ? bufferSource(input.buffer)
    : await openFileSource(input.path, { readAhead: READ_AHEAD });
  opened.push(src);
  try {
    return await readMeshFile(src, ext, resolverFor(input.path, opened));
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
}

let last: { key: string; buffer: Buffer | undefined; result: Promise<MeshFile> } | null = null;

/** The file's mesh, parsed once for consecutive calls on the same file (same bytes, or same size and time). */
export async function loadMesh(input: { path: string; buffer?: Buffer }): Promise<MeshFile> {
  let key = `${input.path}\0`;
  if (!input.buffer) {
    const st = await fs.promises.stat(input.path);
    key += `${st.size}\0${st.mtimeMs}`;
  }
  if (last && last.key === key && last.buffer === input.buffer) return last.result;
  const result = load(input);
  last = { key, buffer: input.buffer, result };
  result.catch(() => {
    // A failed read is remembered too: the renderer then reports the same error without reparsing.
  });
  return result;
}
