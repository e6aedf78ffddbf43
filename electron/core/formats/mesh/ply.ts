import type { ByteSource } from '../byte-source';
import type { MeshSink } from './builder';
import { buildMesh } from './two-pass';
import { forEachLine, LineCursor } from './text-lines';
import { emptyMeshFile, MeshError, type MeshFile } from './types';

// PLY (Stanford): an ASCII header listing elements and their properties, then the body in ASCII
// or binary (either byte order). Vertices carry x, y, z; faces a list of vertex indices.

const SIZES: Record<string, number> = {
  char: 1, int8: 1, uchar: 1, uint8: 1, short: 2, int16: 2, ushort: 2, uint16: 2,
  int: 4, int32: 4, uint: 4, uint32: 4, float: 4, float32: 4, double: 8, float64: 8,
}; // prettier-ignore

interface Prop {
  name: string;
  type: string;
  /** For a list: the type of its count. */
  countType: string | null;
}
interface Element {
  name: string;
  count: number;
  props: Prop[];
}
interface Header {
  format: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  elements: Element[];
  bodyOffset: number;
  comments: string[];
}

const MAX_HEADER = 64 * 1024;
const MAX_LIST = 4096;

function parseHeader(head: Buffer): Header {
  const text = head.toString('latin1');
  if (!/^ply\r?\n/.test(text)) throw new MeshError('not a PLY file (no "ply" line)');
  const endMatch = /end_header[ \t]*\r?\n/.exec(text);
  if (!endMatch) throw new MeshError('damaged PLY header (no end_header in the first 64 KB)');
  const header: Header = {
    format: 'ascii',
    elements: [],
    bodyOffset: endMatch.index + endMatch[0].length,
    comments: [],
  };
  let sawFormat = false;
  for (const raw of text.slice(0, endMatch.index).split(/\r?\n/).slice(1)) {
    const w = raw.trim().split(/\s+/);
    if (w[0] === 'format') {
      if (w[1] !== 'ascii' && w[1] !== 'binary_little_endian' && w[1] !== 'binary_big_endian')
        throw new MeshError(`unknown PLY format "${String(w[1]).slice(0, 40)}"`);
      header.format = w[1];
      sawFormat = true;
    } else if (w[0] === 'element') {
      const count = Number(w[2]);
      if (!Number.isSafeInteger(count) || count < 0)
        throw new MeshError('damaged PLY header (element count)');
      header.elements.push({ name: w[1] ?? '', count, props: [] });
    } else if (w[0] === 'property') {
      const el = header.elements[header.elements.length - 1];
      if (!el) throw new MeshError('damaged PLY header (property before any element)');
      const prop: Prop =
        w[1] === 'list'
          ? { name: w[4] ?? '', type: w[3] ?? '', countType: w[2] ?? '' }
          : { name: w[2] ?? '', type: w[1] ?? '', countType: null };
      if (!(prop.type in SIZES) || (prop.countType !== null && !(prop.countType in SIZES)))
        throw new MeshError(`damaged PLY header (unknown property type in "${raw.trim().slice(0, 60)}")`);
      el.props.push(prop);
    } else if (w[0] === 'comment' || w[0] === 'obj_info')
      header.comments.push(raw.trim().slice(w[0].length).trim());
  }
  if (!sawFormat) throw new MeshError('damaged PLY header (no format line)');
  return header;
}

/** Sequential binary reading in 1 MB windows. */
class BinaryCursor {
  private buf = Buffer.alloc(0);
  private at = 0;
  private base: number;
  constructor(
    private readonly src: ByteSource,
    offset: number,
    private readonly le: boolean,
  ) {
    this.base = offset;
  }
  async ensure(n: number): Promise<void> {
    if (this.at + n <= this.buf.length) return;
    const rest = this.buf.subarray(this.at);
    const more = await this.src.read(this.base + this.buf.length, Math.max(1024 * 1024, n));
    this.base += this.at;
    this.buf = Buffer.concat([rest, more]);
    this.at = 0;
    if (this.buf.length < n) throw new MeshError('the PLY file is cut short');
  }
  /** A value of a type whose bytes ensure() has made available. */
  value(type: string): number {
    const b = this.buf;
    const o = this.at;
    this.at += SIZES[type]!;
    switch (type) {
      case 'char': case 'int8': return b.readInt8(o);
      case 'uchar': case 'uint8': return b[o]!;
      case 'short': case 'int16': return this.le ? b.readInt16LE(o) : b.readInt16BE(o);
      case 'ushort': case 'uint16': return this.le ? b.readUInt16LE(o) : b.readUInt16BE(o);
      case 'int': case 'int32': return this.le ? b.readInt32LE(o) : b.readInt32BE(o);
      case 'uint': case 'uint32': return this.le ? b.readUInt32LE(o) : b.readUInt32BE(o);
      case 'float': case 'float32': return this.le ? b.readFloatLE(o) : b.readFloatBE(o);
      default: return this.le ? b.readDoubleLE(o) : b.readDoubleBE(o);
    } // prettier-ignore
  }
  skip(n: number): void {
    this.at += n;
  }
}

async function binaryPass(src: ByteSource, h: Header, sink: MeshSink, facesToo: boolean): Promise<void> {
  const cur = new BinaryCursor(src, h.bodyOffset, h.format === 'binary_little_endian');
  const corners = new Int32Array(MAX_LIST);
  for (const el of h.elements) {
    const isVertex = el.name === 'vertex';
    const isFace = el.name === 'face';
    const fixed = el.props.every((p) => p.countType === null);
    const rowBytes = fixed ? el.props.reduce((n, p) => n + SIZES[p.type]!, 0) : 0;
    if (!isVertex && !(isFace && facesToo) && fixed) {
      // Nothing wanted here and every row the same size: jump over the whole element.
      for (let left = el.count * rowBytes; left > 0;) {
        const step = Math.min(left, 1024 * 1024);
        await cur.ensure(step);
        cur.skip(step);
        left -= step;
      }
      continue;
    }
    const xyz = [0, 0, 0];
    for (let r = 0; r < el.count; r++) {
      if (fixed) await cur.ensure(rowBytes);
      for (const p of el.props) {
        if (p.countType === null) {
          if (!fixed) await cur.ensure(SIZES[p.type]!);
          const v = cur.value(p.type);
          if (isVertex) {
            if (p.name === 'x') xyz[0] = v;
            else if (p.name === 'y') xyz[1] = v;
            else if (p.name === 'z') xyz[2] = v;
          }
          continue;
        }
        await cur.ensure(SIZES[p.countType]!);
        const n = cur.value(p.countType);
        if (!(n >= 0) || n > 1_000_000) throw new MeshError('damaged PLY body (a list of impossible length)');
        const itemBytes = SIZES[p.type]!;
        await cur.ensure(n * itemBytes);
        const wanted = isFace && facesToo && (p.name === 'vertex_indices' || p.name === 'vertex_index');
        if (!wanted) {
          cur.skip(n * itemBytes);
          continue;
        }
        const m = Math.min(n, MAX_LIST);
        for (let i = 0; i < m; i++) corners[i] = cur.value(p.type);
        cur.skip((n - m) * itemBytes);
        sink.polygon(corners, m);
      }
      if (isVertex) sink.vertex(xyz[0]!, xyz[1]!, xyz[2]!);
    }
  }
}

async function asciiPass(src: ByteSource, h: Header, sink: MeshSink, facesToo: boolean): Promise<void> {
  const line = new LineCursor();
  const corners = new Int32Array(MAX_LIST);
  let el = 0;
  let row = 0;
  while (el < h.elements.length && h.elements[el]!.count === 0) el++;
  await forEachLine(src, h.bodyOffset, (buf, start, end) => {
    const e = h.elements[el];
    if (!e) return false;
    const c = line.set(buf, start, end);
    if (c.atEnd()) return; // blank lines between rows
    if (e.name === 'vertex') {
      const xyz = [0, 0, 0];
      for (const p of e.props) {
        if (p.countType !== null) {
          const n = c.number();
          for (let i = 0; i < n; i++) c.number();
          continue;
        }
        const v = c.number();
        if (p.name === 'x') xyz[0] = v;
        else if (p.name === 'y') xyz[1] = v;
        else if (p.name === 'z') xyz[2] = v;
      }
      sink.vertex(xyz[0]!, xyz[1]!, xyz[2]!);
    } else if (e.name === 'face' && facesToo) {
      for (const p of e.props) {
        if (p.countType === null) {
          c.number();
          continue;
        }
        const n = c.number();
        const wanted = p.name === 'vertex_indices' || p.name === 'vertex_index';
        let m = 0;
        for (let i = 0; i < n && i < 1_000_000; i++) {
          const v = c.number();
          if (wanted && m < MAX_LIST) corners[m++] = v;
        }
        if (wanted) sink.polygon(corners, m);
      }
    }
    if (++row >= e.count) {
      row = 0;
      el++;
      while (el < h.elements.length && h.elements[el]!.count === 0) el++;
    }
  });
}

export async function readPly(src: ByteSource): Promise<MeshFile> {
  const h = parseHeader(await src.read(0, MAX_HEADER));
  const out = emptyMeshFile('ply');
  for (const c of h.comments) {
    const m = /^(?:generated by|created by|author:?)\s+(.+)$/i.exec(c);
    if (m && !out.generator) out.generator = m[1]!.slice(0, 200);
  }
  let first = true;
  out.geometry = await buildMesh(async (sink) => {
    const facesToo = first;
    first = false;
    await (h.format === 'ascii' ? asciiPass(src, h, sink, facesToo) : binaryPass(src, h, sink, facesToo));
  });
  out.materials = h.elements.some((e) => e.name === 'material')
    ? h.elements.find((e) => e.name === 'material')!.count
    : null;
  return out;
}
