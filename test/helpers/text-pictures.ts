// Pictures with known words for the text recognition tests, rendered at test time (sharp + SVG
// text, DejaVu fonts as librsvg finds them): a big clear word, and a photo-like poster (text on a
// noisy, blurred, textured background, turned 4°, saved as JPEG).
import sharp from 'sharp';

function svg(width: number, height: number, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`,
  );
}

/** One big dark word on white, as a PNG (not a screen's size: the stroke rule must find it). */
export async function bigWord(file: string, word: string): Promise<void> {
  // Bold capitals are about 0.8 em wide: the word fills about 1000 of the 1200 px.
  const size = Math.min(220, Math.floor(1000 / (0.8 * word.length)));
  await sharp(
    svg(
      1200,
      800,
      `<rect width="100%" height="100%" fill="#fff"/><text x="100" y="450" font-family="DejaVu Sans" font-weight="bold" font-size="${size}">${word}</text>`,
    ),
  )
    .png()
    .toFile(file);
}

/** Two lines on a grainy grey card, turned slightly, JPEG: text as a camera would see a poster. */
export async function noisyPoster(file: string, lines: [string, string], seed = 7): Promise<void> {
  const width = 1600;
  const height = 1000;
  const noise = Buffer.alloc(width * height * 3);
  // A small LCG: the same grain every run.
  let x = seed;
  for (let i = 0; i < noise.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    noise[i] = 120 + (x % 60);
  }
  const background = await sharp(noise, { raw: { width, height, channels: 3 } })
    .blur(1.5)
    .png()
    .toBuffer();
  await sharp(background)
    .composite([
      {
        input: svg(
          width,
          height,
          `<text x="150" y="420" font-family="DejaVu Serif" font-size="150" fill="#201510">${lines[0]}</text>` +
            `<text x="200" y="650" font-family="DejaVu Sans" font-size="110" fill="#402010">${lines[1]}</text>`,
        ),
      },
    ])
    .rotate(4, { background: '#888' })
    .jpeg({ quality: 85 })
    .toFile(file);
}

/** A window-like screen capture: lines of small UI text on a light grey page. */
export async function screenCapture(
  file: string,
  width: number,
  height: number,
  lines: string[],
): Promise<void> {
  const body = lines
    .map(
      (l, i) =>
        `<text x="40" y="${60 + i * 40}" font-family="DejaVu Sans" font-size="22" fill="#222">${l}</text>`,
    )
    .join('');
  await sharp(svg(width, height, `<rect width="100%" height="100%" fill="#f4f4f4"/>${body}`))
    .png()
    .toFile(file);
}
