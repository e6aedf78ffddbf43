import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/library';
import { browserSession, dam } from '../helpers/serve';

interface CropJson {
  aspect: string;
  box: { x: number; y: number; w: number; h: number };
}

const RED = '#dd2222';
const GREEN = '#22aa22';
const BLUE = '#2222dd';
const YELLOW = '#dddd22';

/** A 1200×800 picture of four coloured quadrants: red, green above; blue, yellow below. */
function quadrants(): ReturnType<typeof sharp> {
  const q = (background: string, left: number, top: number) => ({
    input: { create: { width: 600, height: 400, channels: 3 as const, background } },
    left,
    top,
  });
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: '#000' } }).composite([
    q(RED, 0, 0),
    q(GREEN, 600, 0),
    q(BLUE, 0, 400),
    q(YELLOW, 600, 400),
  ]);
}

/** The mean colour of a file, as the name of the quadrant colour it is closest to. */
async function colourOf(file: string): Promise<string> {
  const { channels } = await sharp(file).stats();
  const mean = channels.slice(0, 3).map((c) => c.mean);
  const named = { red: RED, green: GREEN, blue: BLUE, yellow: YELLOW };
  const dist = (hex: string) =>
    [1, 3, 5].reduce((s, i, n) => s + (parseInt(hex.slice(i, i + 2), 16) - mean[n]!) ** 2, 0);
  return Object.entries(named).sort(([, a], [, b]) => dist(a) - dist(b))[0]![0];
}

// The crop editor in the loupe, in real Chromium against `dam serve`: crops set by dragging the
// frame and its handles (1:1 and 16:9) and by the keyboard on a picture turned by its EXIF
// orientation; they come back after a reload, and `dam export --aspect` frames each rendition to
// the part dragged (checked by the colour of the quadrant it holds). Undo and No crop clear it.
describe('crop editor in a browser', () => {
  const ui = browserSession({
    name: 'crop',
    shotPrefix: 'crop-',
    dirs: ['photos', 'out'],
    async prepare(catalog, { photos }) {
      await quadrants().jpeg({ quality: 95 }).toFile(path.join(photos, 'quad.jpg'));
      // Stored 1200×800, orientation 6: shown upright 800×1200, turned a quarter clockwise, so
      // its top left quadrant is the stored bottom left one (blue).
      const stored = await quadrants().jpeg({ quality: 95 }).toBuffer();
      await sharp(stored).withMetadata({ orientation: 6 }).toFile(path.join(photos, 'turned.jpg'));
      dam(catalog, 'add-root', photos);
      dam(catalog, 'scan');
    },
  });
  const { catalog, errors, shot, tile, tiles } = ui;
  const crops = (name: string) =>
    JSON.parse(dam(catalog, 'crop', path.join(ui.dirs.photos, name), '--json')) as CropJson[];
  const cropOf = (name: string, aspect: string) => crops(name).find((c) => c.aspect === aspect);
  async function exported(name: string, aspect: string): Promise<{ colour: string; w: number; h: number }> {
    const to = fs.mkdtempSync(path.join(ui.dirs.out, `${aspect.replace(':', 'x')}-`));
    dam(
      catalog,
      'export',
      path.join(ui.dirs.photos, name),
      '--preset',
      'web',
      '--aspect',
      aspect,
      '--to',
      to,
    );
    const file = path.join(to, fs.readdirSync(to)[0]!);
    const m = await sharp(file).metadata();
    return { colour: await colourOf(file), w: m.width!, h: m.height! };
  }

  /** Opens the crop editor (R) on a picture from the grid; resolves with the layer over the picture. */
  async function openCrop(name: string) {
    const { page } = ui;
    await tile(name).click();
    await page.keyboard.press('r');
    await page.getByRole('dialog', { name }).waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[role=dialog] img.loupe-preview.ready');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    const layer = page.getByRole('group', { name: 'Crop' });
    await layer.waitFor();
    return layer;
  }

  /** Drags from one point to another, given as fractions of the layer (the picture). */
  async function drag(from: { x: number; y: number }, to: { x: number; y: number }) {
    const { page } = ui;
    const lb = (await page.getByRole('group', { name: 'Crop' }).boundingBox())!;
    await page.mouse.move(lb.x + from.x * lb.width, lb.y + from.y * lb.height);
    await page.mouse.down();
    await page.mouse.move(lb.x + to.x * lb.width, lb.y + to.y * lb.height, { steps: 6 });
    await page.mouse.up();
  }

  /** The active frame's box in fractions of the layer, as drawn. */
  async function frameBox() {
    const { page } = ui;
    const lb = (await page.getByRole('group', { name: 'Crop' }).boundingBox())!;
    const fb = (await page.locator('.crop-frame').boundingBox())!;
    return {
      x: (fb.x - lb.x) / lb.width,
      y: (fb.y - lb.y) / lb.height,
      w: fb.width / lb.width,
      h: fb.height / lb.height,
    };
  }

  it(
    'sets a 1:1 and a 16:9 crop by dragging, shows them after a reload, and exports what was framed',
    { timeout: 240_000 },
    async () => {
      const { page, url } = ui;
      await page.goto(url);
      await waitFor(async () => (await tiles().count()) === 2, 60_000, 'both pictures as tiles');
      await openCrop('quad.jpg');
      const aspects = page.getByRole('group', { name: 'Aspect' });
      expect(await aspects.getByRole('button', { name: '1:1' }).getAttribute('aria-pressed')).toBe('true');

      // 1:1: the centred square is x 200..1000 px of 1200. Its top left handle dragged to
      // (0.55, 0.55) leaves a square whose bottom right corner stays: 360 px, in the yellow
      // quadrant; then the frame itself is dragged 0.1 to the right.
      let b = await frameBox();
      await drag({ x: b.x, y: b.y }, { x: 0.55, y: 0.55 });
      b = await frameBox();
      await drag({ x: b.x + b.w / 2, y: b.y + b.h / 2 }, { x: b.x + b.w / 2 + 0.1, y: b.y + b.h / 2 });
      await page.keyboard.press('Enter');
      const square = await waitFor(() => cropOf('quad.jpg', '1:1'), 30_000, 'the 1:1 crop saved');
      expect(square.box.x).toBeCloseTo(0.6333, 1);
      expect(square.box.y).toBeCloseTo(0.55, 1);
      expect(square.box.w * 1200).toBeCloseTo(square.box.h * 800, -1);
      expect(square.box.w * 1200).toBeGreaterThan(300);

      // 16:9: the centred one is full width; its bottom right handle dragged to (0.4, 0.3), then
      // the frame dragged up to the top: 480×270 px in the red quadrant. Saved by the button.
      await aspects.getByRole('button', { name: '16:9' }).click();
      b = await frameBox();
      expect(b.w).toBeCloseTo(1, 1);
      await drag({ x: b.x + b.w, y: b.y + b.h }, { x: 0.4, y: 0.3 });
      b = await frameBox();
      await drag({ x: b.x + b.w / 2, y: b.y + b.h / 2 }, { x: b.x + b.w / 2, y: b.y + b.h / 2 - 0.2 });
      await shot('1-16x9');
      await page.getByRole('toolbar', { name: 'Crop tools' }).getByRole('button', { name: 'Save' }).click();
      const wide = await waitFor(() => cropOf('quad.jpg', '16:9'), 30_000, 'the 16:9 crop saved');
      expect(wide.box).toMatchObject({ x: 0, y: 0 });
      expect(wide.box.w).toBeCloseTo(0.4, 1);
      expect((wide.box.w * 1200) / (wide.box.h * 800)).toBeCloseTo(16 / 9, 1);

      // After a reload the crops are drawn where they were saved: the 1:1 frame, the 16:9 outline.
      await page.reload();
      await waitFor(async () => (await tiles().count()) === 2, 60_000, 'the tiles again');
      const layer = await openCrop('quad.jpg');
      await waitFor(
        async () => (await layer.getByRole('img', { name: '16:9 crop' }).count()) === 1,
        30_000,
        'the 16:9 outline',
      );
      b = await frameBox();
      for (const k of ['x', 'y', 'w', 'h'] as const) expect(b[k]).toBeCloseTo(square.box[k], 2);
      const lb = (await layer.boundingBox())!;
      const ob = (await layer.getByRole('img', { name: '16:9 crop' }).boundingBox())!;
      expect((ob.x - lb.x) / lb.width).toBeCloseTo(wide.box.x, 2);
      expect(ob.width / lb.width).toBeCloseTo(wide.box.w, 2);
      await shot('2-reloaded');

      // The renditions have the framing dragged.
      const sq = await exported('quad.jpg', '1:1');
      expect(sq.colour).toBe('yellow');
      expect(sq.w).toBe(sq.h);
      const wd = await exported('quad.jpg', '16:9');
      expect(wd.colour).toBe('red');
      expect(wd.w / wd.h).toBeCloseTo(16 / 9, 1);

      // Esc cancels: the editor closes, an unsaved move is not kept.
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Escape');
      await layer.waitFor({ state: 'detached' });
      expect(cropOf('quad.jpg', '1:1')!.box).toEqual(square.box);
      expect(errors).toEqual([]);
    },
  );

  it(
    'crops a picture turned by its EXIF orientation from the keyboard, in upright coordinates; undo and No crop clear it',
    { timeout: 240_000 },
    async () => {
      const { page } = ui;
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await openCrop('turned.jpg');
      // Upright 800×1200: the centred square is 800 px at y 200. Shift+← 55 times: 0.45 of the
      // width (360 px) from the top left corner; ↑ 10 times: 0.1 of the height up (y 80 px).
      for (let i = 0; i < 55; i++) await page.keyboard.press('Shift+ArrowLeft');
      for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      const c = await waitFor(() => cropOf('turned.jpg', '1:1'), 30_000, 'the crop saved');
      expect(c.box.x).toBeCloseTo(0, 5);
      expect(c.box.y).toBeCloseTo(80 / 1200, 3);
      expect(c.box.w).toBeCloseTo(0.45, 3);
      expect(c.box.h).toBeCloseTo(360 / 1200, 3);
      await shot('3-turned');
      const r = await exported('turned.jpg', '1:1');
      expect(r).toMatchObject({ colour: 'blue' });
      expect(r.w).toBe(r.h);

      // Ctrl+Z takes the crop back (none before), Ctrl+Shift+Z sets it again, No crop clears it.
      await page.keyboard.press('Control+z');
      await waitFor(() => !cropOf('turned.jpg', '1:1'), 30_000, 'the crop undone');
      await page.keyboard.press('Control+Shift+z');
      await waitFor(() => cropOf('turned.jpg', '1:1'), 30_000, 'the crop redone');
      await page
        .getByRole('toolbar', { name: 'Crop tools' })
        .getByRole('button', { name: 'No crop' })
        .click();
      await waitFor(() => !cropOf('turned.jpg', '1:1'), 30_000, 'the crop cleared');
      expect(errors).toEqual([]);
    },
  );

  it(
    "shows in the Publish tab the framing each endpoint gets from its preset's aspect",
    { timeout: 120_000 },
    async () => {
      const { page } = ui;
      // A preset of squares and an endpoint that uses it, through the API the UI speaks.
      const api = (name: string, input: unknown) =>
        page.evaluate(
          async ([n, i]) => {
            const r = await fetch(`/api/${n}`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(i),
              credentials: 'same-origin',
            });
            return (await r.json()) as { ok: boolean };
          },
          [name, input] as const,
        );
      const preset = {
        name: 'square',
        longEdge: 1080,
        format: 'jpeg',
        quality: 85,
        keepGps: false,
        keepSerials: false,
        watermark: null,
        fileName: '{name}',
        aspect: '1:1',
      };
      expect(await api('renditions.savePreset', preset)).toMatchObject({ ok: true });
      expect(
        await api('endpoints.add', {
          name: 'social-site',
          type: 'webhook',
          url: 'http://127.0.0.1:9/hook',
          password: 'webhook-secret',
          preset: 'square',
          delivery: 'manual',
        }),
      ).toMatchObject({ ok: true });
      await page.reload();
      await waitFor(async () => (await tiles().count()) === 2, 60_000, 'the tiles again');
      // quad.jpg has its 1:1 crop (the yellow square); turned.jpg has none left.
      await tile('quad.jpg').click();
      await ui.inspector().getByRole('tab', { name: 'Publish' }).click();
      const framing = ui.inspector().getByRole('list', { name: 'Framing per endpoint' });
      await framing.getByRole('listitem', { name: 'social-site: 1:1, its crop' }).waitFor();
      await tile('turned.jpg').click();
      await framing.getByRole('listitem', { name: 'social-site: 1:1, centred, no crop set' }).waitFor();
      await shot('4-framing');
      expect(errors).toEqual([]);
    },
  );
});
