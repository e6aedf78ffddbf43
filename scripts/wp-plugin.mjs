// Packages the companion WordPress plugin (resources/wordpress/tessera-dam/) as an installable zip:
// `npm run wp-plugin` writes dist/tessera-dam.zip (or the path given), whose one folder
// tessera-dam/ is what WordPress's Plugins > Add New > Upload Plugin expects.
import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';

const ROOT = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const SOURCE = path.join(ROOT, 'resources', 'wordpress', 'tessera-dam');
const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist', 'tessera-dam.zip'));

const files = fs
  .readdirSync(SOURCE, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => path.relative(SOURCE, path.join(e.parentPath ?? e.path, e.name)))
  .sort();
fs.mkdirSync(path.dirname(out), { recursive: true });
const zip = new yazl.ZipFile();
// A fixed time, so the same sources make the same zip.
const mtime = new Date('2026-01-01T00:00:00Z');
for (const f of files)
  zip.addFile(path.join(SOURCE, f), `tessera-dam/${f.split(path.sep).join('/')}`, { mtime, mode: 0o100644 });
zip.end();
const tmp = `${out}.${process.pid}.partial`;
await new Promise((resolve, reject) => {
  const ws = fs.createWriteStream(tmp);
  ws.on('close', resolve);
  ws.on('error', reject);
  zip.outputStream.on('error', reject).pipe(ws);
});
fs.renameSync(tmp, out);
console.log(`${path.relative(process.cwd(), out) || out}: ${files.length} files (${files.join(', ')})`);
