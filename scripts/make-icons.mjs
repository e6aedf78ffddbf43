// The app's icons, made from the SVG sources in resources/ (run by `npm run dist`; the results are
// committed so a checkout can package without running it). electron-builder turns the 1024 px
// icon.png into the .icns and .ico it needs; the tray icon is a macOS template image (black with
// alpha, "Template" in its name) with a @2x for Retina screens.
import path from 'node:path';
import sharp from 'sharp';

const dir = path.join(import.meta.dirname, '..', 'resources');
// Rendered at twice the size, then reduced: crisper small edges than rendering at size.
const render = (svg, viewBox, size, out) =>
  sharp(path.join(dir, svg), { density: (72 * 2 * size) / viewBox })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(path.join(dir, out));

await render('icon.svg', 1024, 1024, 'icon.png');
await render('tray.svg', 32, 16, 'trayTemplate.png');
await render('tray.svg', 32, 32, 'trayTemplate@2x.png');
console.log('icons written to resources/');
