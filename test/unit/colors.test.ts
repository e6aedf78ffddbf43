// Dominant colours: the Lab maths and names (shared/colors.ts) and the palette of real decodes
// (ingest/thumbnails/palette.ts): solid and striped pictures made here with sharp, and real
// photographs whose colours are known from Debian's python3-skimage data (.ci/run installs it).
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { deltaE, nameColor, parseHex, rgbToLab, toHex } from '../../shared/colors';
import { paletteOf } from '../../electron/core/ingest/thumbnails/palette';

const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';

/** The decode the catalogue analyses: the picture fitted in 64×64, raw samples. */
async function palette(input: string | Buffer) {
  const { data, info } = await sharp(input)
    .resize(64, 64, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return paletteOf(data, info.width, info.height, info.channels);
}

function svg(width: number, height: number, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`,
  );
}

describe('colour maths and names', () => {
  test('Lab of the sRGB primaries and white match the CIE reference values', () => {
    const close = (got: number[], want: number[]) =>
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 0));
    close(rgbToLab(255, 255, 255), [100, 0, 0]);
    close(rgbToLab(0, 0, 0), [0, 0, 0]);
    close(rgbToLab(255, 0, 0), [53.24, 80.09, 67.2]);
    close(rgbToLab(0, 0, 255), [32.3, 79.19, -107.86]);
    expect(deltaE(rgbToLab(255, 0, 0), rgbToLab(250, 5, 5))).toBeLessThan(3);
  });

  test('hex values parse and print', () => {
    expect(parseHex('#3366cc')).toEqual([0x33, 0x66, 0xcc]);
    expect(parseHex('36c')).toEqual([0x33, 0x66, 0xcc]);
    expect(parseHex('#33g6cc')).toBeNull();
    expect(toHex(51, 102, 204)).toBe('#3366cc');
  });

  test.each([
    ['#3366cc', 'blue'],
    ['#10204a', 'blue'],
    ['#1e7a1e', 'green'],
    ['#f2d31b', 'yellow'],
    ['#7a4a22', 'brown'],
    ['#ff66aa', 'pink'],
    ['#777777', 'gray'],
    ['#fafafa', 'white'],
    ['#050505', 'black'],
    ['#e86a10', 'orange'],
    ['#b01020', 'red'],
    ['#6a2c91', 'purple'],
    ['#1aa3a3', 'teal'],
  ])('%s is named in the %s family', (hex, family) => {
    const [r, g, b] = parseHex(hex)!;
    expect(nameColor(rgbToLab(r, g, b)).family).toBe(family);
  });
});

describe('palette of generated pictures', () => {
  test('a solid picture is one colour covering all of it', async () => {
    const p = await palette(
      await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c81e1e' } })
        .png()
        .toBuffer(),
    );
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ family: 'red', share: 1 });
    expect(deltaE(rgbToLab(...parseHex(p[0]!.hex)!), rgbToLab(0xc8, 0x1e, 0x1e))).toBeLessThan(2);
  });

  test('stripes: each colour with its share, the larger first', async () => {
    const p = await palette(
      await sharp(
        svg(
          400,
          400,
          '<rect width="400" height="300" fill="#2050c0"/><rect y="300" width="400" height="100" fill="#f5d000"/>',
        ),
      )
        .png()
        .toBuffer(),
    );
    expect(p.map((c) => c.family)).toEqual(['blue', 'yellow']);
    expect(p[0]!.share).toBeCloseTo(0.75, 1);
    expect(p[1]!.share).toBeCloseTo(0.25, 1);
  });

  test('transparent pixels are not part of the picture; a fully transparent one has no colours', async () => {
    const half = await sharp(
      svg(200, 200, '<rect width="100" height="200" fill="#1a9c3a"/>'), // the right half stays transparent
    )
      .png()
      .toBuffer();
    const p = await palette(half);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ family: 'green', share: 1 });
    const clear = await sharp({ create: { width: 20, height: 20, channels: 4, background: '#00000000' } })
      .png()
      .toBuffer();
    expect(await palette(clear)).toEqual([]);
  });

  test('a greyscale picture and degenerate input', async () => {
    const grey = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#808080' } })
      .greyscale()
      .png()
      .toBuffer();
    expect((await palette(grey))[0]).toMatchObject({ family: 'gray', share: 1 });
    expect(paletteOf(new Uint8Array(0), 0, 0, 3)).toEqual([]);
    expect(paletteOf(new Uint8Array(5), 4, 4, 3)).toEqual([]); // fewer bytes than it claims
  });
});

describe('palette of real photographs (python3-skimage data)', () => {
  const photo = (name: string) => palette(path.join(SKIMAGE, name));

  test('rocket: a launch against a deep blue sky', async () => {
    const p = await photo('rocket.jpg');
    expect(p[0]!.family).toBe('blue');
    expect(p.filter((c) => c.family === 'blue').reduce((s, c) => s + c.share, 0)).toBeGreaterThan(0.5);
  });

  test('coffee: a brown cup of coffee on a red saucer', async () => {
    const p = await photo('coffee.png');
    expect(p[0]!.family).toBe('brown');
    expect(p.map((c) => c.family)).toContain('red');
    expect(p.map((c) => c.family)).not.toContain('blue');
  });

  test('chelsea: a tabby cat, browns', async () => {
    const p = await photo('chelsea.png');
    expect(p[0]!.family).toBe('brown');
    expect(p.filter((c) => c.family === 'brown').reduce((s, c) => s + c.share, 0)).toBeGreaterThan(0.5);
  });

  test('shares are fractions, most first, at most six colours', async () => {
    for (const name of ['astronaut.png', 'coffee.png', 'rocket.jpg']) {
      const p = await photo(name);
      expect(p.length).toBeGreaterThan(1);
      expect(p.length).toBeLessThanOrEqual(6);
      expect(p.reduce((s, c) => s + c.share, 0)).toBeLessThanOrEqual(1.001);
      for (let i = 1; i < p.length; i++) expect(p[i]!.share).toBeLessThanOrEqual(p[i - 1]!.share);
    }
  });
});
