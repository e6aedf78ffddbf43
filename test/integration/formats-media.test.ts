// Video and audio (issue 14): every container ffmpeg writes, tagged by ffmpeg and exiftool at test
// time (test/fixtures/media-files.ts), read by our readers and compared with exiftool field by
// field; the facts; the waveform thumbnail; broken files; and a scan that catalogues them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffFormat } from '../../electron/core/formats/sniff';
import { ffmpegPath } from '../fixtures/make-fixtures';
import { typeOf, formatFromExt } from '../../electron/core/ingest/formats/file-types';
import { parseFfmpegInfo } from '../../electron/core/ingest/ffmpeg';
import { gpsFromIso6709 } from '../../electron/core/ingest/metadata/gps';
import { renderThumbnail } from '../../electron/core/ingest/thumbnails';
import { ColumnReducer } from '../../electron/core/ingest/thumbnails/waveform';
import type { Library } from '../../electron/core/library';
import { makeMediaFiles, MEDIA_TAGS } from '../fixtures/media-files';
import { makeAvchd } from '../fixtures/avchd';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';
import {
  attempt,
  compare,
  etDate,
  etList,
  etNum,
  etText,
  firstOf,
  type Expected,
  type Outcome,
  type Rec,
} from '../helpers/metadata-oracle';
import { expectWebp, settle } from '../helpers/thumbnail-checks';

const DIR = tempDir('dam-media-');
let files: Map<string, string>;
const ours = new Map<string, Outcome>();
let et: Map<string, Rec>;

/** exiftool's reading; RIFF INFO text as UTF-8, as ffmpeg (and every current tagger) writes it. */
function exiftoolMedia(paths: string[]): Map<string, Rec> {
  const r = spawnSync('exiftool', ['-j', '-n', '-G1', '-struct', '-charset', 'RIFF=UTF8', ...paths], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const list = JSON.parse(r.stdout.toString() || '[]') as Rec[];
  return new Map(list.map((rec) => [path.resolve(String(rec.SourceFile)), rec]));
}

function pick(r: Rec, tag: string, groups: string[]): string | null {
  return firstOf(...groups.map((g) => etText(r[`${g}:${tag}`])));
}

/** What exiftool's values say our fields should be, for a movie or a song. */
function expectedMedia(r: Rec): Expected {
  const movie = ['Keys', 'ItemList', 'UserData'];
  const other = ['Matroska', 'RIFF', 'ASF', 'ID3v2_3', 'ID3v2_4', 'ID3v1', 'Vorbis', 'APE'];
  const all = [...movie, ...other];
  // QuickTime's movie header time is UTC by the spec ("0000:00:00" when never set).
  const mvhd = etDate(r['QuickTime:CreateDate']);
  const date = firstOf(
    etDate(r['Keys:CreationDate']),
    mvhd && mvhd.wall !== '0000' ? { ...mvhd, offset: '+00:00' } : null,
    etDate(r['Matroska:DateTimeOriginal']),
    etDate(r['ASF:CreationDate']),
    etDate(r['RIFF:DateTimeOriginal']),
    etDate(r['ItemList:ContentCreateDate']),
    etDate(r['ID3v2_4:RecordingTime']),
    etDate(r['ID3v2_3:Year']),
    etDate(r['Vorbis:Date']),
    etDate(r['RIFF:DateCreated']),
  );
  const trackSize = (dim: string) =>
    firstOf(
      ...[1, 2, 3, 4].map((n) => {
        const v = etNum(r[`Track${n}:Image${dim}`]);
        return v && v > 0 ? v : null;
      }),
    );
  const size = (dim: 'Width' | 'Height') =>
    firstOf(trackSize(dim), ...['RIFF', 'ASF', 'MPEG', 'H264'].map((g) => etNum(r[`${g}:Image${dim}`])));
  const lat = etNum(r['Composite:GPSLatitude']);
  const lon = etNum(r['Composite:GPSLongitude']);
  const keywords = firstOf(
    ...[r['Keys:Keywords'], r['ItemList:Keyword']].map((v) => {
      const list = etList(v).flatMap((k) => k.split(',').map((s) => s.trim()));
      return list.length ? list : null;
    }),
  );
  return {
    make: pick(r, 'Make', movie),
    model: pick(r, 'Model', movie),
    lens: null,
    orientation: null,
    iso: null,
    fNumber: null,
    exposureTime: null,
    focalLength: null,
    width: size('Width'),
    height: size('Height'),
    gps: lat !== null && lon !== null ? { lat, lon, alt: etNum(r['Composite:GPSAltitude']) } : null,
    latRef: lat !== null && lat < 0 ? 'S' : 'N',
    lonRef: lon !== null && lon < 0 ? 'W' : 'E',
    date,
    twinOffsets: [],
    title: firstOf(pick(r, 'Title', all), etText(r['XMP-dc:Title'])),
    description: firstOf(
      pick(r, 'Description', ['Keys', 'ItemList', 'UserData', 'ASF', 'Vorbis', 'RIFF']),
      pick(r, 'Comment', ['Keys', 'ItemList', 'UserData', 'Matroska', 'RIFF', 'ID3v2_3', 'ID3v2_4']),
      // ffmpeg writes an ID3 comment as a TXXX frame named "comment".
      ...['ID3v2_3', 'ID3v2_4'].map(
        (g) => /^\(comment\) (.*)$/s.exec(etText(r[`${g}:UserDefinedText`]) ?? '')?.[1] ?? null,
      ),
    ),
    keywords: keywords ?? etList(r['XMP-dc:Subject']),
    creator: firstOf(
      pick(r, 'Author', ['Keys', 'ASF']),
      pick(r, 'Artist', all),
      pick(r, 'Performer', ['UserData']),
    ),
    copyright: null,
    credit: null,
    rating: null,
  };
}

beforeAll(async () => {
  files = await makeMediaFiles(DIR);
  et = exiftoolMedia([...files.values()]);
  for (const f of files.values()) ours.set(f, await attempt({ path: f, buffer: fs.readFileSync(f) }));
}, 120_000);
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

const meta = (name: string) => {
  const o = ours.get(files.get(name)!)!;
  if (!o.ok) throw new Error(`${name}: ${o.error}`);
  return o.meta;
};

describe('video and audio metadata against exiftool', () => {
  it('reads every file without an error', () => {
    const failed = [...ours]
      .filter(([, o]) => !o.ok)
      .map(([f, o]) => `${path.basename(f)}: ${o.ok ? '' : o.error}`);
    expect(failed).toEqual([]);
    expect(ours.size).toBe(files.size);
  });

  it('agrees with exiftool field by field (make, model, date, size, title, keywords, GPS...)', () => {
    const mismatches: string[] = [];
    for (const [name, f] of files) {
      const o = ours.get(f)!;
      const rec = et.get(f);
      expect(rec, name).toBeDefined();
      if (!o.ok || !rec) continue;
      for (const d of compare(o.meta, expectedMedia(rec))) mismatches.push(`${name}: ${d}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('reads what the fixtures wrote, so the comparison is not vacuous', () => {
    const iphone = meta('iphone.mov');
    expect(iphone).toMatchObject({
      make: 'Apple',
      model: 'iPhone 12 Pro',
      // com.apple.quicktime.creationdate keeps the local time and its offset.
      captureDate: '2021-06-01T18:30:00+02:00',
      tzOffsetMin: 120,
      keywords: ['harbour', 'dawn'],
      gps: { lat: 48.8584, lon: 2.2945, alt: 35 },
      title: MEDIA_TAGS.title,
      width: 160,
      height: 120,
    });
    // The movie header is UTC: the same instant, said as UTC.
    expect(meta('clip.mp4').captureDate).toBe('2021-06-01T16:30:00+00:00');
    expect(meta('clip.mp4').captureTs).toBe(iphone.captureTs);
    expect(meta('camera.mov')).toMatchObject({ make: 'Canon', model: 'Canon EOS R6' });
    expect(meta('camera.mov').gps).toMatchObject({ lat: -33.8568, lon: 151.2153 });
    expect(meta('xmp.mp4')).toMatchObject({ title: 'XMP title', keywords: ['boat', 'sea'] });
    for (const name of ['clip.mkv', 'clip.webm', 'clip.wmv', 'clip.3gp', 'clip.m4v'])
      expect(meta(name), name).toMatchObject({
        title: MEDIA_TAGS.title,
        captureDate: '2021-06-01T16:30:00+00:00',
      });
    for (const name of ['clip.avi', 'clip.mpg', 'clip.m2ts']) expect(meta(name).width, name).toBe(160);
    // A Broadcast WAV's recording time is local wall time: no offset.
    expect(meta('take.wav')).toMatchObject({
      captureDate: '2021-06-01T18:30:05',
      tzOffsetMin: null,
      description: 'Take 3, pier',
    });
    for (const name of [
      'song.mp3',
      'song.flac',
      'song.wav',
      'song.ogg',
      'song.opus',
      'song.m4a',
      'song.aiff',
    ])
      expect(meta(name), name).toMatchObject({
        title: MEDIA_TAGS.title,
        creator: MEDIA_TAGS.artist,
        captureDate: '2021',
      });
  });

  it('reads an XMP packet in UTF-16 from a movie uuid box', async () => {
    const xmp =
      '\ufeff<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">' +
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""' +
      ' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag><rdf:li>quay</rdf:li></rdf:Bag>' +
      '</dc:subject></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
    const body = Buffer.from(xmp, 'utf16le');
    const header = Buffer.alloc(24);
    header.writeUInt32BE(24 + body.length, 0);
    header.write('uuid', 4, 'latin1');
    Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex').copy(header, 8);
    const file = path.join(DIR, 'utf16-xmp.mp4');
    fs.writeFileSync(file, Buffer.concat([fs.readFileSync(files.get('clip.m4v')!), header, body]));
    const o = await attempt({ path: file });
    expect(o.ok && o.meta.keywords).toEqual(['quay']);
  });

  it('reads the same from a path as from a buffer', async () => {
    const differ: string[] = [];
    for (const [name, f] of files) {
      if (JSON.stringify(await attempt({ path: f })) !== JSON.stringify(ours.get(f))) differ.push(name);
    }
    expect(differ).toEqual([]);
  });

  it('keeps codec, frame rate, rotation, sample rate, channels, album and genre as facts', () => {
    expect(meta('iphone.mov').facts).toMatchObject({
      codec: 'H.264',
      frameRate: 25,
      rotation: 90,
      audioCodec: 'AAC',
      sampleRate: 44100,
      channels: 1,
    });
    expect(meta('clip.mkv').facts).toMatchObject({ codec: 'H.264', frameRate: 25, audioCodec: 'Vorbis' });
    expect(meta('clip.wmv').facts).toMatchObject({ codec: 'WMV8', audioCodec: 'WMA' });
    expect(meta('clip.m2ts').facts).toMatchObject({ codec: 'H.264', audioCodec: 'AC-3' });
    expect(meta('song.mp3').facts).toMatchObject({
      artist: MEDIA_TAGS.artist,
      album: MEDIA_TAGS.album,
      genre: MEDIA_TAGS.genre,
      year: 2021,
      sampleRate: 44100,
      channels: 1,
    });
    expect(meta('song.flac').facts).toMatchObject({ audioCodec: 'FLAC', bitsPerSample: 16 });
    for (const name of files.keys()) expect(Object.keys(meta(name).facts).length, name).toBeGreaterThan(0);
  });

  it('knows every file for what it is by its bytes and by its name', () => {
    for (const [name, f] of files) {
      const ext = path.extname(name).slice(1);
      const fd = fs.openSync(f, 'r');
      const head = Buffer.alloc(512);
      fs.readSync(fd, head, 0, 512, 0);
      fs.closeSync(fd);
      const want = /^(song|take)\./.test(name) ? 'audio' : 'video';
      expect([sniffFormat(head), formatFromExt(ext), typeOf(formatFromExt(ext), ext)], name).toEqual([
        want,
        want,
        want,
      ]);
    }
  });
});

describe('media parsing rules', () => {
  it('reads ISO 6709 positions in degrees, degrees-minutes and degrees-minutes-seconds', () => {
    expect(gpsFromIso6709('+48.8584+002.2945+035.000/')).toEqual({ lat: 48.8584, lon: 2.2945, alt: 35 });
    const dm = gpsFromIso6709('-3351.408+15112.918/')!;
    expect(dm.lat).toBeCloseTo(-33.8568, 4);
    expect(dm.lon).toBeCloseTo(151.2153, 4);
    const dms = gpsFromIso6709('+404530-0735830/')!;
    expect(dms.lat).toBeCloseTo(40.758333, 5);
    expect(dms.lon).toBeCloseTo(-73.975, 5);
    expect(gpsFromIso6709('+00.0000+000.0000/')).toBeNull();
    expect(gpsFromIso6709('+95.0+010.0/')).toBeNull();
    expect(gpsFromIso6709('garbage')).toBeNull();
  });

  it("reads ffmpeg's report: tags, streams, rotation from the display matrix", () => {
    const info = parseFfmpegInfo(
      [
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/x/IMG_0001.MOV':",
        '  Metadata:',
        '    creation_time   : 2021-06-01T16:30:00.000000Z',
        '    com.apple.quicktime.make: Apple',
        '  Duration: 00:00:03.50, start: 0.000000, bitrate: 9000 kb/s',
        '    Stream #0:0(und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv), 1920x1080, 8000 kb/s, 29.97 fps, 29.97 tbr, 600 tbn (default)',
        '    Side data:',
        '      displaymatrix: rotation of -90.00 degrees',
        '    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 96 kb/s (default)',
      ].join('\n'),
    );
    expect(info.tags.get('creation_time')).toBe('2021-06-01T16:30:00.000000Z');
    expect(info.tags.get('com.apple.quicktime.make')).toBe('Apple');
    expect(info).toMatchObject({
      durationS: 3.5,
      bitrateKbps: 9000,
      video: { codec: 'hevc', width: 1920, height: 1080, fps: 29.97, rotation: 90 },
      audio: { codec: 'aac', sampleRate: 44100, channels: 2 },
    });
    expect(() =>
      parseFfmpegInfo('file:/x/y.mp3: Invalid data found when processing input\n', 'audio file'),
    ).toThrow('not a playable audio file: invalid data found when processing input');
  });

  it('reduces PCM to per-column minima and maxima whatever the chunk boundaries', () => {
    const pcm = Buffer.alloc(8 * 2);
    [0, 16384, -16384, 0, 32767, -32768, 100, -100].forEach((v, i) => pcm.writeInt16LE(v, i * 2));
    const whole = new ColumnReducer(2, 4);
    whole.push(pcm);
    const split = new ColumnReducer(2, 4);
    // Odd-length chunks split samples between their bytes.
    for (const [a, b] of [
      [0, 3],
      [3, 4],
      [4, 11],
      [11, 16],
    ] as const)
      split.push(pcm.subarray(a, b));
    for (const r of [whole, split]) {
      expect([...r.min]).toEqual([-0.5, -1]);
      expect([...r.max]).toEqual([0.5, 32767 / 32768]);
      expect(r.samples).toBe(8);
    }
  });
});

/** Share of pixels that are not the background: the waveform drew something. */
async function inked(webp: Buffer): Promise<number> {
  const { data, info } = await sharp(webp).raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i + 2]! > 150) n++;
  return n / (info.width * info.height);
}

describe('waveform thumbnails', () => {
  it('draws every audio format as a waveform with its duration', async () => {
    for (const name of [
      'song.mp3',
      'song.flac',
      'song.wav',
      'song.ogg',
      'song.opus',
      'song.m4a',
      'song.aiff',
    ]) {
      const out = await renderThumbnail({ path: files.get(name)!, format: 'audio', maxEdge: 512 });
      await expectWebp(out);
      expect([out.width, out.height], name).toEqual([512, 256]);
      expect(out.durationS, name).toBeGreaterThan(0.9);
      expect(out.durationS, name).toBeLessThan(1.2);
      expect(await inked(out.data), name).toBeGreaterThan(0.3);
    }
  });

  it('samples a long file window by window instead of decoding it whole', async () => {
    const long = path.join(DIR, 'long.wav');
    // Five minutes of a tone that grows louder: past the whole-decode limit.
    spawnSync(ffmpegPath(), [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
      ...['-i', 'sine=frequency=200:duration=300:sample_rate=8000', '-af', 'volume=eval=frame:volume=t/300'],
      ...['-ac', '1', '-c:a', 'pcm_s16le', long],
    ]);
    const out = await renderThumbnail({ path: long, format: 'audio', maxEdge: 512 });
    expect(out.durationS).toBeCloseTo(300, 0);
    const { data, info } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    const height = (x: number) => {
      let n = 0;
      for (let y = 0; y < info.height; y++) if (data[(y * info.width + x) * info.channels + 2]! > 150) n++;
      return n;
    };
    // The swell shows: quiet on the left, loud on the right.
    expect(height(info.width - 4)).toBeGreaterThan(height(40) * 3);
  });
});

describe('AVCHD clips (.mts/.m2ts): the recording time lives in the H.264 stream', () => {
  const clips = new Map<string, string>();
  beforeAll(() => {
    const dir = path.join(DIR, 'avchd');
    fs.mkdirSync(dir, { recursive: true });
    clips.set(
      'sony',
      makeAvchd(dir, 'sony.mts', { wallClock: '2010-05-24T14:31:05', zoneMinutes: -300, makeCode: 0x0108 }),
    );
    clips.set(
      'panasonic',
      makeAvchd(dir, 'panasonic.m2ts', {
        wallClock: '2013-11-02T09:12:47',
        zoneMinutes: 330,
        makeCode: 0x0103,
      }),
    );
  });

  it('reads the date with its time zone and the maker as exiftool does', async () => {
    const et = spawnSync('exiftool', ['-j', '-G1', ...clips.values()]);
    const recs = new Map(
      (JSON.parse(et.stdout.toString()) as Rec[]).map((r) => [path.resolve(String(r.SourceFile)), r]),
    );
    for (const [name, f] of clips) {
      const theirs = recs.get(path.resolve(f))!;
      const d = etDate(theirs['H264:DateTimeOriginal'])!;
      expect(d, name).not.toBeNull();
      const ours = await attempt({ path: f });
      if (!ours.ok) throw new Error(ours.error);
      expect([name, ours.meta.captureDate, ours.meta.make]).toEqual([
        name,
        `${d.wall}${d.offset ?? ''}`,
        etText(theirs['H264:Make']),
      ]);
    }
    const sony = await attempt({ path: clips.get('sony')!, buffer: fs.readFileSync(clips.get('sony')!) });
    expect(sony.ok && [sony.meta.captureDate, sony.meta.make, sony.meta.width]).toEqual([
      '2010-05-24T14:31:05-05:00',
      'Sony',
      320,
    ]);
  });

  it('reads a transport stream without MDPM, or cut short, without a date and without an error', async () => {
    const sony = fs.readFileSync(clips.get('sony')!);
    const marker = sony.indexOf(Buffer.from('MDPM'));
    const none = Buffer.from(sony);
    none.write('XXXX', marker, 'latin1');
    const cut = sony.subarray(0, 192 * 3);
    for (const [name, bytes] of [
      ['none.mts', none],
      ['cut.mts', cut],
    ] as const) {
      const f = path.join(DIR, 'avchd', name);
      fs.writeFileSync(f, bytes);
      const o = await attempt({ path: f });
      expect(o.ok && o.meta.captureDate, name).toBeNull();
    }
  });
});

describe('broken video and audio files', () => {
  const broken = new Map<string, Buffer>();
  beforeAll(() => {
    const mov = fs.readFileSync(files.get('iphone.mov')!);
    const flac = fs.readFileSync(files.get('song.flac')!);
    const mkv = fs.readFileSync(files.get('clip.mkv')!);
    broken.set('empty.mp3', Buffer.alloc(0));
    broken.set('noise.mp3', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    broken.set('text.mov', Buffer.from('not a movie at all\n'));
    broken.set('cut.mov', mov.subarray(0, 600));
    broken.set('cut.flac', flac.subarray(0, 60));
    broken.set('cut.mkv', mkv.subarray(0, 300));
    // A movie box that claims 4 GB, and a 64-bit size past any real file.
    const huge = Buffer.from(mov);
    const moovAt = huge.indexOf('moov') - 4;
    huge.writeUInt32BE(0xfffffff0, moovAt);
    broken.set('huge-box.mov', huge);
    const big = Buffer.alloc(32);
    big.writeUInt32BE(1, 0);
    big.write('moov', 4, 'latin1');
    big.writeBigUInt64BE(0xffffffffffffn, 8);
    broken.set(
      'large-size.mp4',
      Buffer.concat([Buffer.from('\0\0\0\x14ftypisom\0\0\0\0isom', 'latin1'), big]),
    );
    for (const [name, bytes] of broken) fs.writeFileSync(path.join(DIR, name), bytes);
  });

  it('reads each to a result or a one-line error, never a crash or a hang', async () => {
    const outcomes: string[] = [];
    for (const name of broken.keys()) {
      const f = path.join(DIR, name);
      for (const input of [{ path: f }, { path: f, buffer: fs.readFileSync(f) }]) {
        const o = await attempt(input);
        if (!o.ok) {
          expect(o.kind, `${name}: ${o.error}`).toBe('MetadataError');
          expect(o.error, name).not.toContain('\n');
        }
        outcomes.push(`${name}: ${o.ok ? 'ok' : o.error}`);
      }
    }
    // The cut movie lost its movie box: that is news worth a line, not a silent empty result.
    expect(outcomes).toContain('cut.mov: the file is cut short or damaged inside its boxes');
  });

  it('fails their thumbnails with a short readable message within the time limit', async () => {
    for (const name of ['noise.mp3', 'cut.flac', 'text.mov', 'cut.mkv']) {
      const format = name.endsWith('.mp3') || name.endsWith('.flac') ? 'audio' : 'video';
      const r = await settle(
        renderThumbnail({ path: path.join(DIR, name), format, maxEdge: 256 }),
        30_000,
        name,
      );
      expect('err' in r, name).toBe(true);
      const msg = 'err' in r ? String((r.err as Error).message) : '';
      expect(msg, name).toMatch(/^(not a playable|no audio stream|no video stream)/);
      expect(msg, name).not.toContain('\n');
    }
    const empty = await settle(
      renderThumbnail({ path: path.join(DIR, 'empty.mp3'), format: 'audio', maxEdge: 256 }),
      5000,
      'empty',
    );
    expect('err' in empty && (empty.err as Error).message).toBe('empty file (0 bytes)');
  });
});

describe('a scan catalogues video and audio', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let lib: Library;
  const ROOT = tempDir('dam-media-root-');
  beforeAll(async () => {
    for (const name of ['iphone.mov', 'clip.mkv', 'song.mp3', 'song.flac'])
      fs.copyFileSync(files.get(name)!, path.join(ROOT, name));
    ctx = freshLibrary();
    lib = ctx.lib;
    lib.addRoot(ROOT, { name: 'media' });
    await lib.scan();
  }, 120_000);
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(ROOT, { recursive: true, force: true });
  });

  it('as video and audio assets with their facts, duration and a thumbnail', () => {
    const song = lib.findAsset(path.join(ROOT, 'song.mp3'))!;
    expect(song).toMatchObject({ type: 'audio', title: MEDIA_TAGS.title, creator: MEDIA_TAGS.artist });
    expect(song.facts).toMatchObject({ album: MEDIA_TAGS.album, sampleRate: 44100 });
    expect(song.durationS).toBeGreaterThan(0.9);
    expect(song.thumbnail && fs.existsSync(song.thumbnail)).toBe(true);
    const movie = lib.findAsset(path.join(ROOT, 'iphone.mov'))!;
    expect(movie).toMatchObject({ type: 'video', make: 'Apple', model: 'iPhone 12 Pro' });
    expect(movie.facts).toMatchObject({ codec: 'H.264', rotation: 90 });
    expect(movie.error ?? null).toBeNull();
  });

  it('finds them with type:audio, type:video and their tags', () => {
    const names = (q: string) =>
      lib
        .search(q)
        .items.map((a) => path.basename(a.path))
        .sort();
    expect(names('type:audio')).toEqual(['song.flac', 'song.mp3']);
    expect(names('type:video')).toEqual(['clip.mkv', 'iphone.mov']);
    expect(names('keyword:harbour')).toEqual(['iphone.mov']);
    expect(names('camera:iphone')).toEqual(['iphone.mov']);
  });
});
