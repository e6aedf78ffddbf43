// The mixed-format benchmark's inputs: RAW containers, videos, audio, PDFs, 3D files and the
// rasters sharp cannot open, made once into .bench-cache/ (bounded sizes), every file with its
// own bytes so no thumbnail is reused by content hash. exiftool reads the same folder.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ffmpegPath,
  makeCr2,
  makeCr3,
  makeOrf,
  makeRaf,
  makeRw2,
  makeTiffRaw,
  makeVideo,
} from '../fixtures/make-fixtures';
import { fbxBinary, glb, objBox, plyBinary, stlAscii, stlBinary } from '../fixtures/meshes';
import sharp from 'sharp';
import { makeEps, makeOoxml, type OfficeKind } from '../fixtures/documents';
import { CACHE } from './fixtures';

const run = promisify(execFile);

/** Bump when the set changes, so a cached older set is made again. */
const VERSION = 2;

export interface MixedSet {
  dir: string;
  /** Files per kind, as made (a kind whose tool is missing here is left out). */
  kinds: Record<string, number>;
}

function hasCommand(cmd: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

/** A wavy sheet of n × n vertices as OBJ text: a mesh of realistic density (n = 300: 180k triangles). */
function wavyObj(n: number, seed: number): Buffer {
  const out: string[] = [`# mesh ${seed}`];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      out.push(
        `v ${(i / n).toFixed(5)} ${(0.1 * Math.sin(i / 9 + seed) * Math.cos(j / 13)).toFixed(5)} ${(j / n).toFixed(5)}`,
      );
  for (let i = 0; i + 1 < n; i++)
    for (let j = 0; j + 1 < n; j++) {
      const a = i * n + j + 1;
      out.push(`f ${a} ${a + 1} ${a + n + 1} ${a + n}`);
    }
  return Buffer.from(out.join('\n') + '\n');
}

/** A 24-bit BMP of w × h with a gradient depending on `seed`. */
function bmp(w: number, h: number, seed: number): Buffer {
  const row = Math.ceil((w * 3) / 4) * 4;
  const b = Buffer.alloc(54 + row * h);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = 54 + y * row + x * 3;
      b[o] = (x + seed) & 255;
      b[o + 1] = (y * 2) & 255;
      b[o + 2] = (x ^ y ^ seed) & 255;
    }
  return b;
}

function ppm(w: number, h: number, seed: number): Buffer {
  const head = Buffer.from(`P6\n# bench ${seed}\n${w} ${h}\n255\n`);
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    px[3 * i] = (i + seed) & 255;
    px[3 * i + 1] = (i >> 8) & 255;
    px[3 * i + 2] = seed & 255;
  }
  return Buffer.concat([head, px]);
}

/** A trailer that leaves the container readable: a 'free' box after a BMFF file, plain bytes after the others. */
function uniquify(file: string, i: number, bmff: boolean): void {
  const text = Buffer.from(`bench copy ${i}`);
  if (!bmff) return fs.appendFileSync(file, text);
  const box = Buffer.alloc(8);
  box.writeUInt32BE(8 + text.length, 0);
  box.write('free', 4, 'latin1');
  fs.appendFileSync(file, Buffer.concat([box, text]));
}

async function makeRaws(dir: string, count: number): Promise<number> {
  const makers = [
    ['CR2', makeCr2, false],
    ['CR3', makeCr3, true],
    ['NEF', makeTiffRaw, false],
    ['RAF', makeRaf, false],
    ['ORF', makeOrf, false],
    ['RW2', makeRw2, false],
  ] as const;
  for (let i = 0; i < count; i++) {
    const [ext, make, bmff] = makers[i % makers.length]!;
    const raw = await make(dir, `RAW_${String(i).padStart(4, '0')}.${ext}`);
    uniquify(raw.path, i, bmff);
  }
  return count;
}

async function makeVideos(dir: string, count: number): Promise<number> {
  const containers = ['mp4', 'mov', 'mkv'] as const;
  for (let i = 0; i < count; i++) {
    const c = containers[i % containers.length]!;
    const plain = await makeVideo(dir, `.v${i}.${c}`, { container: c, seconds: 2 });
    await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', '-i', plain, '-c', 'copy', '-metadata', `title=Clip ${i}`, '-metadata', 'creation_time=2024-05-01T10:00:00Z', path.join(dir, `CLIP_${i}.${c}`)]); // prettier-ignore
    fs.rmSync(plain);
  }
  return count;
}

async function makeAudio(dir: string, count: number): Promise<number> {
  const kinds = [
    ['mp3', ['-c:a', 'libmp3lame', '-b:a', '128k']],
    ['flac', ['-c:a', 'flac']],
    ['wav', ['-c:a', 'pcm_s16le']],
    ['m4a', ['-c:a', 'aac', '-b:a', '128k']],
  ] as const;
  let made = 0;
  for (let i = 0; i < count; i++) {
    const [ext, codec] = kinds[i % kinds.length]!;
    try {
      await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${220 + 10 * i}:duration=20`, ...codec, '-metadata', `title=Take ${i}`, '-metadata', 'artist=Bench Band', '-metadata', 'album=Mixed', path.join(dir, `take_${i}.${ext}`)]); // prettier-ignore
      made++;
    } catch {
      // This ffmpeg build lacks the encoder: the kind is simply not in the set.
    }
  }
  return made;
}

async function makePdfs(dir: string, count: number): Promise<number> {
  if (!hasCommand('gs')) return 0;
  for (let i = 0; i < count; i++) {
    const ps = path.join(dir, `.doc${i}.ps`);
    const pages = [1, 2, 3]
      .map((p) => `/Helvetica findfont 24 scalefont setfont 72 700 moveto (Brochure ${i}, page ${p}) show 0.2 0.4 0.8 setrgbcolor 72 200 400 300 rectfill showpage`)
      .join('\n'); // prettier-ignore
    fs.writeFileSync(
      ps,
      `%!PS\n[ /Title (Brochure ${i}) /Author (Bench Studio) /Keywords (bench, mixed) /DOCINFO pdfmark\n${pages}\n`,
    );
    await run('gs', ['-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-sDEVICE=pdfwrite', `-sOutputFile=${path.join(dir, `brochure_${i}.pdf`)}`, ps]); // prettier-ignore
    fs.rmSync(ps);
  }
  return count;
}

function makeModels(dir: string, count: number): number {
  const makers: Array<[string, (i: number) => Buffer]> = [
    ['obj', (i) => wavyObj(300, i)],
    ['stl', (i) => stlBinary(`bench model ${i}`)],
    ['glb', () => glb()],
    ['ply', () => plyBinary()],
    ['fbx', () => fbxBinary()],
    ['stl', () => stlAscii()],
    ['obj', () => objBox()],
  ];
  for (let i = 0; i < count; i++) {
    const [ext, make] = makers[i % makers.length]!;
    const file = path.join(dir, `model_${i}.${ext}`);
    fs.writeFileSync(file, make(i));
    // Text and GLB/PLY/FBX readers ignore trailing bytes; a binary STL's header already differs.
    if (!(ext === 'stl' && i % makers.length === 1)) uniquify(file, i, false);
  }
  return count;
}

/** BMP and PPM written here; with ImageMagick, PCX, JPEG 2000, OpenEXR, Radiance HDR and ICO too. */
async function makeRasters(dir: string, count: number): Promise<number> {
  const converted = hasCommand('convert') ? ['pcx', 'jp2', 'exr', 'hdr', 'ico'] : [];
  const kinds = ['bmp', 'ppm', ...converted];
  for (let i = 0; i < count; i++) {
    const ext = kinds[i % kinds.length]!;
    const file = path.join(dir, `scan_${i}.${ext}`);
    if (ext === 'bmp') fs.writeFileSync(file, bmp(1200, 800, i));
    else if (ext === 'ppm') fs.writeFileSync(file, ppm(1200, 800, i));
    else {
      const size = ext === 'ico' ? 128 : 1000;
      const png = path.join(dir, `.src${i}.png`);
      await sharp(ppm(size, size, i), { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toFile(png);
      await run('convert', [png, file]);
      fs.rmSync(png);
    }
  }
  return count;
}

/** EPS (DSC header, PostScript body) and Office files (DOCX, PPTX, XLSX) with their properties and words. */
function makeDocs(dir: string, count: number): number {
  const office: OfficeKind[] = ['docx', 'pptx', 'xlsx'];
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) makeEps(dir, `logo_${i}.eps`, { title: `Logo ${i}`, creator: 'Bench Studio' });
    else {
      const kind = office[i % 3]!;
      makeOoxml(dir, `report_${i}.${kind}`, kind, {
        props: { title: `Report ${i}`, creator: 'Bench Studio', keywords: 'bench, mixed' },
        paragraphs: [`Quarterly figures, part ${i}.`],
      });
    }
  }
  return count;
}

/** The mixed set, made once per size and VERSION. `per` files of each kind. */
export async function mixedFiles(per: number, log: (s: string) => void): Promise<MixedSet> {
  const dir = path.join(CACHE, `mixed-v${VERSION}-${per}`);
  const done = path.join(dir, '.complete.json');
  if (fs.existsSync(done))
    return { dir, kinds: JSON.parse(fs.readFileSync(done, 'utf8')) as Record<string, number> };
  fs.rmSync(dir, { recursive: true, force: true });
  log(`   making ${per} files of each kind (once; cached in ${path.relative(process.cwd(), dir)})…`);
  const sub = (name: string): string => {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const kinds: Record<string, number> = {
    raw: await makeRaws(sub('raw'), per),
    video: await makeVideos(sub('video'), Math.max(3, Math.round(per / 2))),
    audio: await makeAudio(sub('audio'), per),
    pdf: await makePdfs(sub('pdf'), per),
    '3d': makeModels(sub('3d'), per),
    raster: await makeRasters(sub('raster'), per),
    document: makeDocs(sub('document'), per),
  };
  fs.writeFileSync(done, JSON.stringify(kinds));
  return { dir, kinds };
}
