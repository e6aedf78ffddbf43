import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../../electron/core/library';
import { setFields, transition } from '../../electron/core/governance/set-fields';
import { restUrl, startWordPress, wordpressAvailable } from '../helpers/wordpress';
import { cameraJpegs } from './fixtures';

/**
 * `npm run bench -- --only publish`: N approved 24 MP JPEGs published to a local WordPress (the
 * test one: Debian's wordpress on PHP's server) by the outbox (`Publishing.sync`: rendition, find by
 * slug, upload with its fields, read back, commit), against a bare loop that makes the same
 * renditions (the same renditions service and preset) and uploads each to the same server, one after
 * the other, in the same run. Both make the renditions: publishing a camera file means making its
 * rendition, there is no rendition cache the outbox could draw on, and a bare loop handed renditions
 * made before its clock starts would be timed on less work than the outbox is. The bare loop's time
 * is also printed split into rendering and uploading. Then M of them replaced by a new version. The
 * publishing runs in a child process, so its peak RSS is publishing's alone.
 */
export interface PublishFigures {
  count: number;
  oursSeconds: number;
  bareSeconds: number;
  /** The bare loop's time split: making the renditions, and uploading them. */
  bareRenderSeconds: number;
  bareUploadSeconds: number;
  ratio: number;
  replaced: number;
  replaceSeconds: number;
  peakRssMb: number;
}

export async function benchPublish(opts: {
  quick: boolean;
  log: (s: string) => void;
  self: string;
}): Promise<PublishFigures> {
  if (!wordpressAvailable())
    throw new Error(
      'the publish benchmark needs wordpress mariadb-server php-cli php-mysql php-gd (.ci/run installs them)',
    );
  const count = opts.quick ? 24 : 200;
  const replace = opts.quick ? 6 : 50;
  const source = await cameraJpegs(count);
  const site = await startWordPress();
  try {
    const child = spawn(process.execPath, [opts.self, '--publish-child', source, String(replace)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, WP_URL: site.url, WP_USER: site.user, WP_APP_PASSWORD: site.appPassword },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    if (code !== 0) throw new Error(`the publishing child failed (${code})`);
    return JSON.parse(out.trim().split('\n').pop()!) as PublishFigures;
  } finally {
    await site.stop();
  }
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 1024 / 1024);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** The child: catalogue, approvals, the bare loop, the outbox, the replacement. */
export async function publishChild(source: string, replace: number): Promise<void> {
  const log = (s: string) => process.stderr.write(`   ${s}\n`);
  const url = process.env.WP_URL!;
  const auth = `Basic ${Buffer.from(`${process.env.WP_USER}:${process.env.WP_APP_PASSWORD}`).toString('base64')}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dam-bench-publish-'));
  const photos = path.join(work, 'photos');
  fs.mkdirSync(photos);
  // Hard links where the cache is on the same disk: the catalogue's files, without 2 GB copied.
  const names = fs.readdirSync(source).filter((f) => f.endsWith('.jpg'));
  for (const n of names) {
    try {
      fs.linkSync(path.join(source, n), path.join(photos, n));
    } catch {
      fs.copyFileSync(path.join(source, n), path.join(photos, n));
    }
  }
  const lib = Library.open(path.join(work, 'catalog'), { create: true });
  try {
    lib.addRoot(photos);
    await lib.scan();
    const ids = names.map((n) => lib.findAsset(path.join(photos, n))!.id);
    log(`catalogued ${ids.length} files; approving them`);
    for (const id of ids) {
      await setFields(lib, id, {
        credit: 'Bench Studio',
        licenseType: 'cc-by',
        altText: `bench frame ${id}`,
      });
      await transition(lib, id, 'submit');
      await transition(lib, id, 'approve');
    }
    // The bare loop: for each asset the rendition the outbox sends (the endpoint's preset, 'web'),
    // then its upload; the two parts are timed apart too.
    let renderSeconds = 0;
    let uploadSeconds = 0;
    let bytesSent = 0;
    const bareSeconds = await timed(async () => {
      for (const [i, id] of ids.entries()) {
        let bytes: Buffer = Buffer.alloc(0);
        renderSeconds += await timed(async () => (bytes = (await lib.renditions.render(id, 'web')).data));
        bytesSent += bytes.length;
        uploadSeconds += await timed(async () => {
          const res = await fetch(restUrl(url, '/wp/v2/media'), {
            method: 'POST',
            headers: {
              authorization: auth,
              'content-type': 'image/jpeg',
              'content-disposition': `attachment; filename="bare-${i}.jpg"`,
            },
            body: new Uint8Array(bytes),
          });
          if (res.status !== 201) throw new Error(`bare upload ${i}: HTTP ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        });
      }
    });
    log(
      `bare loop: ${ids.length} web renditions made and uploaded (${(bytesSent / ids.length / 1024).toFixed(0)} KB each): ` +
        `${bareSeconds.toFixed(1)} s, of which rendering ${renderSeconds.toFixed(1)} s and uploading ${uploadSeconds.toFixed(1)} s`,
    );
    lib.publishing.addEndpoint({
      name: 'bench',
      type: 'wordpress',
      url,
      user: process.env.WP_USER!,
      password: process.env.WP_APP_PASSWORD!,
    });
    let report: Awaited<ReturnType<Library['publishing']['sync']>> | undefined;
    const oursSeconds = await timed(async () => (report = await lib.publishing.sync()));
    if (report!.published !== ids.length)
      throw new Error(
        `the outbox published ${report!.published} of ${ids.length}: ${JSON.stringify(report!.results.find((r) => r.outcome !== 'published'))}`,
      );
    // New versions of some: new bytes (another comment), scanned, approved; then replaced.
    const some = names.slice(0, replace);
    for (const n of some) {
      const p = path.join(photos, n);
      const bytes = fs.readFileSync(p);
      fs.rmSync(p);
      // A second comment segment (length 8: its 2 length bytes and 6 of text) right after SOI.
      const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 8]), Buffer.from('v2 ...')]);
      fs.writeFileSync(p, Buffer.concat([bytes.subarray(0, 2), comment, bytes.subarray(2)]));
    }
    await lib.scan();
    for (const n of some) await transition(lib, lib.findAsset(path.join(photos, n))!.id, 'approve');
    let again: Awaited<ReturnType<Library['publishing']['sync']>> | undefined;
    const replaceSeconds = await timed(async () => (again = await lib.publishing.sync()));
    const figures: PublishFigures = {
      count: ids.length,
      oursSeconds,
      bareSeconds,
      bareRenderSeconds: renderSeconds,
      bareUploadSeconds: uploadSeconds,
      ratio: oursSeconds / bareSeconds,
      replaced: again!.replaced,
      replaceSeconds,
      peakRssMb: peakRssMb(),
    };
    process.stdout.write(JSON.stringify(figures) + '\n');
  } finally {
    await lib.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
