import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { Library } from '../../electron/core/library';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/catalog/migrations';
import { CACHE, cameraJpegs, smallFiles, warm } from './fixtures';
import { syntheticCatalog, typedQueries } from './synthetic-catalog';
import { mixedFiles } from './mixed';
import { benchUi } from './ui';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { bareChild, bareWorker, benchTagging, taggingChild } from './tagging';
import { benchPublish, publishChild } from './publish';

// `npm run bench [-- --quick]`: our figures beside reference tools run on the same files in the
// same run, printed as ratios. Numbers are reported, never asserted: timing tests flake.

const quick = process.argv.includes('--quick');
const SIZES = quick
  ? { jpegs: 24, small: 20_000, catalog: 100_000 }
  : { jpegs: 500, small: 100_000, catalog: 1_000_000 };

function log(s: string): void {
  process.stderr.write(s + '\n');
}

function seconds(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function secondsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/**
 * CPU seconds (user + system) of the child processes waited for so far, from /proc (Linux only):
 * a figure that, unlike wall time, holds up on a machine busy with other work.
 */
function childrenCpuSeconds(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime (fields 16 and 17 of stat(5)), in USER_HZ ticks: 100 on every Linux build.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

function cpuSecondsOf(fn: () => void): number | null {
  const before = childrenCpuSeconds();
  fn();
  const after = childrenCpuSeconds();
  return before == null || after == null ? null : after - before;
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 1024 / 1024);
}

function tempCatalog(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dam-bench-'));
}

/**
 * CPU milliseconds of each live thread of this process, from /proc (Linux only; empty elsewhere):
 * lets the ingest child say where its time went, since libvips, the workers and the catalogue
 * each run on threads of their own.
 */
function threadCpuMs(): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime (fields 14 and 15 of stat(5)), in USER_HZ ticks: 100 on every Linux build.
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      const name =
        tid === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(tid, { name, ms });
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** CPU ms per file by thread group: libvips (pixels), the main thread (catalogue), the rest. */
function cpuByThreadGroup(
  before: Map<string, { name: string; ms: number }>,
  after: Map<string, { name: string; ms: number }>,
  files: number,
): Record<string, number> | null {
  if (after.size === 0 || files === 0) return null;
  const groups: Record<string, number> = { libvips: 0, main: 0, other: 0 };
  for (const [tid, t] of after) {
    const d = t.ms - (before.get(tid)?.ms ?? 0);
    const g = t.name === 'main' ? 'main' : t.name.startsWith('libvips') ? 'libvips' : 'other';
    groups[g]! += d;
  }
  for (const g of Object.keys(groups)) groups[g] = Math.round((groups[g]! / files) * 10) / 10;
  return groups;
}

/** Runs in a child process so its peak RSS is the ingest's alone. */
async function ingestChild(root: string): Promise<void> {
  const dir = tempCatalog();
  const lib = Library.open(dir, { create: true });
  lib.addRoot(root);
  let summary: Awaited<ReturnType<Library['scan']>> | undefined;
  // Every thread of this process (main, ingest workers, libvips, libuv) counts.
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpuMs();
  const s = await secondsAsync(async () => (summary = await lib.scan()));
  const cpu = process.cpuUsage(cpu0);
  // Read before close(): the ingest workers (and their libvips threads) end with the library.
  const byThread = cpuByThreadGroup(threads0, threadCpuMs(), summary?.new ?? 0);
  const { byType } = lib.stats();
  await lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    JSON.stringify({ seconds: s, cpuSeconds, peakRssMb: peakRssMb(), summary, byType, byThread }) + '\n',
  );
}

async function benchIngest() {
  const dir = await cameraJpegs(SIZES.jpegs);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => path.join(dir, f));
  const mb = files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1024 / 1024;
  log(
    `\n1. cold ingest: ${files.length} JPEGs of 24 MP, ${(mb / files.length).toFixed(1)} MB each on average`,
  );
  warm(dir);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dam-bench-vips-'));
  let exifCpu: number | null = null;
  let vipsCpu: number | null = null;
  const exif = seconds(
    () =>
      (exifCpu = cpuSecondsOf(() =>
        execFileSync('exiftool', ['-j', '-q', dir], {
          stdio: ['ignore', 'ignore', 'ignore'],
          maxBuffer: 1 << 30,
        }),
      )),
  );
  const vips = seconds(
    () =>
      (vipsCpu = cpuSecondsOf(() =>
        execFileSync('vipsthumbnail', ['-s', '512', '-o', path.join(out, '%s.jpg'), ...files], {
          stdio: 'ignore',
        }),
      )),
  );
  fs.rmSync(out, { recursive: true, force: true });
  const reference = exif + vips;
  const child = spawnSync(process.execPath, [__filename, '--ingest-child', dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`ingest child failed: ${child.stderr}`);
  const ours = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    seconds: number;
    cpuSeconds: number;
    peakRssMb: number;
    summary: { errors: number; new: number };
    byThread: Record<string, number> | null;
  };
  if (ours.summary.new !== files.length || ours.summary.errors)
    throw new Error(`ingest incomplete: ${JSON.stringify(ours.summary)}`);
  const ratio = ours.seconds / reference;
  log(
    `   reference: exiftool -j ${exif.toFixed(2)} s + vipsthumbnail -s 512 ${vips.toFixed(2)} s = ${reference.toFixed(2)} s (${(files.length / reference).toFixed(1)} files/s)`,
  );
  log(
    `   ours (metadata + SHA-256 + 512 px thumbnail + catalogue): ${ours.seconds.toFixed(2)} s (${(files.length / ours.seconds).toFixed(1)} files/s)`,
  );
  log(`   ratio ours/reference: ${ratio.toFixed(3)}  (target ≤ 0.45)`);
  // CPU time survives a busy machine where wall time does not; ours runs on every core, the
  // reference tools mostly on one, so this ratio sits near the wall ratio times the core count.
  const refCpu = exifCpu != null && vipsCpu != null ? exifCpu + vipsCpu : null;
  const cpuRatio = refCpu ? ours.cpuSeconds / refCpu : null;
  if (refCpu != null && cpuRatio != null)
    log(
      `   CPU time (user + system): reference ${refCpu.toFixed(2)} s (exiftool ${exifCpu!.toFixed(2)} s, vipsthumbnail ${vipsCpu!.toFixed(2)} s), ours ${ours.cpuSeconds.toFixed(2)} s (${((ours.cpuSeconds * 1000) / files.length).toFixed(1)} ms per file); ratio ${cpuRatio.toFixed(3)}; load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
  if (ours.byThread)
    log(
      `   our CPU per file by thread: libvips (JPEG decode, resize, WebP) ${ours.byThread.libvips} ms, ingest workers' JS, libuv and GC ${ours.byThread.other} ms, main thread (catalogue, jobs) ${ours.byThread.main} ms`,
    );
  log(`4. peak RSS of the ingesting process: ${ours.peakRssMb} MB  (target ≤ 400)`);
  return {
    ratio,
    cpuRatio,
    cpuMsPerFile: (ours.cpuSeconds * 1000) / files.length,
    peakRssMb: ours.peakRssMb,
  };
}

/** Every regular file under dir (hidden ones skipped, as the scanner does). */
function filesIn(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Mixed formats: RAW, video, audio, PDF, 3D and rasters sharp cannot open, ingested whole
 * (metadata, SHA-256, thumbnail or waveform, catalogue) against `exiftool -j -r` reading the same
 * files' metadata, in files per second.
 */
async function benchMixed() {
  log(`\n6. mixed formats`);
  const set = await mixedFiles(quick ? 6 : 30, (s) => log(s));
  const files = filesIn(set.dir);
  const mb = files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1024 / 1024;
  log(
    `   ${files.length} files, ${mb.toFixed(0)} MB: ${Object.entries(set.kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
  );
  for (const f of files) fs.readFileSync(f); // a warm page cache for both
  let exifCpu: number | null = null;
  const exif = seconds(
    () =>
      (exifCpu = cpuSecondsOf(() =>
        spawnSync('exiftool', ['-j', '-q', '-r', set.dir], { stdio: ['ignore', 'ignore', 'ignore'] }),
      )),
  );
  const child = spawnSync(process.execPath, [__filename, '--ingest-child', set.dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`ingest child failed: ${child.stderr}`);
  const ours = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    seconds: number;
    cpuSeconds: number;
    summary: { errors: number; new: number };
    byType: Record<string, number>;
  };
  if (ours.summary.new !== files.length)
    throw new Error(`ingest incomplete: ${JSON.stringify(ours.summary)}`);
  const types = Object.entries(ours.byType)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  log(`   exiftool -j -r: ${exif.toFixed(2)} s (${(files.length / exif).toFixed(1)} files/s)`);
  log(
    `   ours (metadata + SHA-256 + preview + catalogue): ${ours.seconds.toFixed(2)} s (${(files.length / ours.seconds).toFixed(1)} files/s); catalogued as ${types}; ${ours.summary.errors} with errors`,
  );
  log(`   ratio ours/exiftool: ${(ours.seconds / exif).toFixed(3)}`);
  const cpuRatio = exifCpu ? ours.cpuSeconds / exifCpu : null;
  if (cpuRatio != null)
    log(
      `   CPU time: exiftool ${exifCpu!.toFixed(2)} s, ours ${ours.cpuSeconds.toFixed(2)} s; ratio ${cpuRatio.toFixed(3)}; load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
  return {
    files: files.length,
    filesPerS: files.length / ours.seconds,
    exiftoolFilesPerS: files.length / exif,
    ratio: ours.seconds / exif,
    cpuRatio,
    errors: ours.summary.errors,
  };
}

async function benchRescan() {
  const dir = smallFiles(SIZES.small);
  log(`\n2. rescan of ${SIZES.small.toLocaleString()} unchanged small files`);
  const catDir = path.join(CACHE, `rescan-catalog-${SIZES.small}-schema${LATEST_SCHEMA_VERSION}`);
  if (!fs.existsSync(path.join(catDir, '.complete'))) {
    fs.rmSync(catDir, { recursive: true, force: true });
    log('   cataloguing them first (once; cached)…');
    const lib = Library.open(catDir, { create: true });
    lib.addRoot(dir);
    await lib.scan();
    await lib.close();
    fs.writeFileSync(path.join(catDir, '.complete'), '');
  }
  const findTimes = [0, 1, 2].map(() =>
    seconds(() =>
      execFileSync('find', [dir, '-printf', '%s %T@\n'], { stdio: ['ignore', 'ignore', 'ignore'] }),
    ),
  );
  const lib = Library.open(catDir);
  const ourTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    let s: Awaited<ReturnType<Library['scan']>> | undefined;
    ourTimes.push(await secondsAsync(async () => (s = await lib.scan())));
    if (s!.unchanged !== SIZES.small || s!.new || s!.changed)
      throw new Error(`rescan saw changes: ${JSON.stringify(s)}`);
  }
  await lib.close();
  const cli = seconds(() =>
    execFileSync(process.execPath, [path.join(__dirname, 'cli.js'), '--catalog', catDir, 'scan'], {
      stdio: 'ignore',
    }),
  );
  const find = median(findTimes);
  const ours = median(ourTimes);
  log(`   find -printf '%s %T@\\n': ${find.toFixed(3)} s`);
  log(
    `   ours (walk + compare with the catalogue, in-process): ${ours.toFixed(3)} s; whole "dam scan" command incl. start-up: ${cli.toFixed(3)} s`,
  );
  log(`   ratio ours/find: ${(ours / find).toFixed(2)}  (target ≤ 3, and under 3 s)`);
  return { ratio: ours / find, seconds: ours };
}

async function benchSearch() {
  const dir = syntheticCatalog(SIZES.catalog, (s) => log('   ' + s));
  log(
    `\n3. search over ${SIZES.catalog.toLocaleString()} assets: 100 typed queries, newest first, 100 results each`,
  );
  const lib = Library.open(dir);
  const queries = typedQueries(100);
  for (const q of queries) lib.search(q, { limit: 100 }); // warm the page cache, as a running app would be
  const times: { q: string; ms: number; total: number }[] = [];
  for (const q of queries) {
    let total = 0;
    const ms = seconds(() => (total = lib.search(q, { limit: 100 }).total)) * 1000;
    times.push({ q, ms, total });
  }
  await lib.close();
  const ms = times.map((t) => t.ms);
  const p50 = percentile(ms, 50);
  const p95 = percentile(ms, 95);
  const slow = [...times].sort((a, b) => b.ms - a.ms).slice(0, 3);
  log(`   p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms  (target p95 ≤ 20 ms)`);
  log(
    `   slowest: ${slow.map((t) => `${JSON.stringify(t.q)} ${t.ms.toFixed(1)} ms (${t.total} hits)`).join('; ')}`,
  );
  return { p50, p95 };
}

async function main(): Promise<void> {
  if (!isMainThread && (workerData as { bareTagging?: boolean } | null)?.bareTagging) {
    parentPort!.postMessage(await bareWorker(workerData as Parameters<typeof bareWorker>[0]));
    return;
  }
  const child = process.argv.indexOf('--ingest-child');
  if (child >= 0) return ingestChild(process.argv[child + 1]!);
  const tagChild = process.argv.indexOf('--tagging-child');
  if (tagChild >= 0) return taggingChild(process.argv[tagChild + 1]!);
  const bare = process.argv.indexOf('--bare-tagging-child');
  if (bare >= 0) return bareChild(process.argv[bare + 1]!);
  const pub = process.argv.indexOf('--publish-child');
  if (pub >= 0) return publishChild(process.argv[pub + 1]!, Number(process.argv[pub + 2]));
  fs.mkdirSync(CACHE, { recursive: true });
  log(`Tessera benchmark${quick ? ' (quick)' : ''} on ${os.cpus().length} cores, node ${process.version}`);
  // `--only ui` (or ingest, rescan, search) runs one part; the JSON line then holds its figures only.
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only && !['ingest', 'rescan', 'search', 'ui', 'mixed', 'tagging', 'publish'].includes(only))
    throw new Error(
      `--only takes ingest, rescan, search, ui, mixed, tagging or publish (got ${only ?? 'nothing'})`,
    );
  const part = (name: string) => !only || only === name;
  const ingest = part('ingest') ? await benchIngest() : null;
  const rescan = part('rescan') ? await benchRescan() : null;
  const search = part('search') ? await benchSearch() : null;
  const ui = part('ui') ? await benchUiPart() : null;
  const mixed = part('mixed') ? await benchMixed() : null;
  const tagging = part('tagging') ? await benchTaggingPart() : null;
  // Only when asked: it needs the WordPress packages and takes minutes.
  const publish = only === 'publish' ? await benchPublishPart() : null;
  const figures = {
    ...(ingest && { ingest_ratio: Number(ingest.ratio.toFixed(3)) }),
    ...(ingest?.cpuRatio != null && {
      ingest_cpu_ratio: Number(ingest.cpuRatio.toFixed(3)),
      ingest_cpu_ms_per_file: Number(ingest.cpuMsPerFile.toFixed(1)),
    }),
    ...(rescan && {
      rescan_ratio: Number(rescan.ratio.toFixed(2)),
      rescan_seconds: Number(rescan.seconds.toFixed(3)),
    }),
    ...(search && {
      search_p50_ms: Number(search.p50.toFixed(2)),
      search_p95_ms: Number(search.p95.toFixed(2)),
    }),
    ...(ingest && { peak_rss_mb: ingest.peakRssMb }),
    ...(ui && {
      ui_first_thumbs_ms: Math.round(ui.firstThumbsMs),
      ui_scroll_p95_ms: Number(ui.scrollP95Ms.toFixed(2)),
      ui_idle_p95_ms: Number(ui.idleP95Ms.toFixed(2)),
    }),
    ...(mixed && {
      mixed_files: mixed.files,
      mixed_files_per_s: Number(mixed.filesPerS.toFixed(1)),
      mixed_exiftool_files_per_s: Number(mixed.exiftoolFilesPerS.toFixed(1)),
      mixed_ratio: Number(mixed.ratio.toFixed(3)),
      ...(mixed.cpuRatio != null && { mixed_cpu_ratio: Number(mixed.cpuRatio.toFixed(3)) }),
      mixed_errors: mixed.errors,
    }),
    ...(tagging && {
      tagging_ips: Number(tagging.ips.toFixed(2)),
      tagging_overhead: Number(tagging.overhead.toFixed(3)),
      tagging_bare_ips: Number(tagging.bareIps.toFixed(2)),
      tagging_peak_rss_mb: tagging.peakRssMb,
      ...(tagging.ocrSeconds != null && { ocr_seconds_per_image: Number(tagging.ocrSeconds.toFixed(2)) }),
      ...(tagging.clusterSeconds != null && {
        cluster_10k_faces_seconds: Number(tagging.clusterSeconds.toFixed(2)),
      }),
    }),
    ...(publish && {
      publish_count: publish.count,
      publish_seconds: Number(publish.oursSeconds.toFixed(2)),
      publish_bare_seconds: Number(publish.bareSeconds.toFixed(2)),
      publish_bare_render_seconds: Number(publish.bareRenderSeconds.toFixed(2)),
      publish_bare_upload_seconds: Number(publish.bareUploadSeconds.toFixed(2)),
      publish_ratio: Number(publish.ratio.toFixed(3)),
      publish_ratio_uploads_only: Number((publish.oursSeconds / publish.bareUploadSeconds).toFixed(3)),
      publish_replaced: publish.replaced,
      publish_replace_seconds: Number(publish.replaceSeconds.toFixed(2)),
      publish_peak_rss_mb: publish.peakRssMb,
    }),
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

async function benchTaggingPart() {
  log(`\n7. on-device tagging: objects + faces + descriptors`);
  return benchTagging({ quick, log: (s) => log('   ' + s) });
}

async function benchPublishPart() {
  log(
    `\n6. publishing ${quick ? 24 : 200} approved 24 MP JPEGs to a local WordPress, against a bare loop (render, upload) of the same renditions`,
  );
  const p = await benchPublish({ quick, log: (s) => log('   ' + s), self: __filename });
  log(
    `   outbox ${p.oursSeconds.toFixed(1)} s, bare loop ${p.bareSeconds.toFixed(1)} s: ${p.ratio.toFixed(2)}× (target ≤ 1.2×; both make the renditions)`,
  );
  log(
    `   the stricter reading: outbox (renders and uploads) against the bare loop's uploads alone, renditions made beforehand: ${(p.oursSeconds / p.bareUploadSeconds).toFixed(2)}×`,
  );
  log(
    `   ${p.replaced} replaced by a new version in ${p.replaceSeconds.toFixed(1)} s; peak RSS ${p.peakRssMb} MB`,
  );
  return p;
}

async function benchUiPart() {
  log(`\n5. the UI in Chromium over ${quick ? '20,000' : '100,000'} assets (dam serve)`);
  const ui = await benchUi({ quick, log: (s) => log('   ' + s), cli: path.join(__dirname, 'cli.js') });
  log(`   first thumbnails painted ${ui.firstThumbsMs.toFixed(0)} ms after navigation (target ≤ 1000 ms)`);
  log(
    `   scrolling top to bottom: p95 frame ${ui.scrollP95Ms.toFixed(2)} ms (target ≤ 16.7 ms; the page at rest: ${ui.idleP95Ms.toFixed(2)} ms)`,
  );
  return ui;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
