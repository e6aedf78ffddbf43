import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v2 as webdav } from 'webdav-server';
import { FaultProxy, freePort } from '../helpers/fault-proxy';
import { PublishBench } from '../helpers/publish-cli';

// Publishing to a WebDAV folder (as on Nextcloud or a NAS): a real WebDAV server (webdav-server,
// in this process on 127.0.0.1, basic authentication, files on disk) behind a fault-injecting
// proxy, driven through the CLI. The file keeps its path across versions, its fields are in a JSON
// sidecar beside it, and every fault leaves exactly one file per asset.
describe('publishing to WebDAV', () => {
  const bench = new PublishBench({ DAM_PUBLISH_TIMEOUT_MS: '3000', DAM_PUBLISH_WAIT_MS: '300' });
  let server: webdav.WebDAVServer;
  let proxy: FaultProxy;
  let disk: string;
  const PASSWORD = 'nextcloud-app-password-42';

  /** The files in the published folder (under the share's root), as paths relative to it. */
  const files = () =>
    fs.existsSync(path.join(disk, 'Web'))
      ? (fs.readdirSync(path.join(disk, 'Web'), { recursive: true }) as string[])
          .filter((f) => fs.statSync(path.join(disk, 'Web', f)).isFile())
          .sort()
      : [];
  const sidecar = (key: string) =>
    JSON.parse(fs.readFileSync(path.join(disk, 'Web', `${key}.json`), 'utf8')) as {
      assetId: number;
      version: string;
      fields: Record<string, string>;
    };
  const keyOf = async (name: string) => `${await bench.idOf(name)}-${path.parse(name).name}.jpg`;

  beforeAll(async () => {
    disk = path.join(bench.work, 'dav');
    fs.mkdirSync(path.join(disk, 'Web'), { recursive: true });
    const users = new webdav.SimpleUserManager();
    const user = users.addUser('editor', PASSWORD, false);
    const rights = new webdav.SimplePathPrivilegeManager();
    rights.setRights(user, '/', ['all']);
    server = new webdav.WebDAVServer({
      hostname: '127.0.0.1',
      requireAuthentification: true,
      httpAuthentication: new webdav.HTTPBasicAuthentication(users, 'Tessera test'),
      privilegeManager: rights,
    });
    await server.setFileSystemAsync('/', new webdav.PhysicalFileSystem(disk));
    const port = await freePort();
    await server.startAsync(port);
    proxy = await FaultProxy.start(`http://127.0.0.1:${port}`);
    await bench.setUp({ 'Bridge Über.jpg': '#c33', 'down.jpg': '#3c3', 'lost.jpg': '#cc3' });
    const add = await bench.run(
      [
        'endpoint',
        'add',
        'nas',
        '--type',
        'webdav',
        '--url',
        `${proxy.url}/Web`,
        '--user',
        'editor',
        '--password-stdin',
        '--key',
        'photos/{assetId}-{slug}.{ext}',
      ],
      PASSWORD,
    );
    expect(add.status, add.stderr).toBe(0);
  });
  afterAll(async () => {
    await proxy?.down();
    await server?.stopAsync();
    bench.cleanUp();
  });

  it('tests the folder, and puts the file with its fields in a sidecar; an edit rewrites the sidecar', async () => {
    expect(await bench.dam('endpoint', 'test', 'nas')).toMatch(/WebDAV folder .*\/Web answers to this user/);
    const name = 'Bridge Über.jpg';
    await bench.approve(name, ['title=Über the bridge']);
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    const key = `photos/${await bench.idOf(name)}-bridge-uber.jpg`;
    expect(files()).toEqual([key, `${key}.json`]);
    expect((await sharp(path.join(disk, 'Web', key)).metadata()).format).toBe('jpeg');
    expect(sidecar(key)).toMatchObject({
      assetId: await bench.idOf(name),
      version: await bench.contentHash(name),
      fields: { title: 'Über the bridge', alt: `${name} in the rain`, credit: 'North Studio' },
    });
    expect(await bench.publications(name)).toMatchObject([
      {
        state: 'published',
        remoteId: key,
        url: `${proxy.url}/Web/photos/${encodeURIComponent(key.split('/')[1]!)}`,
      },
    ]);
    await bench.dam('set', bench.file(name), 'credit=South Studio');
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect(sidecar(key).fields.credit).toBe('South Studio');
    expect(files()).toHaveLength(2);
  });

  it('replaces a new version in place (same path) and deletes file and sidecar when the asset is retired', async () => {
    const name = 'Bridge Über.jpg';
    const key = `photos/${await bench.idOf(name)}-bridge-uber.jpg`;
    await bench.newVersion(name, '#36c');
    expect(await bench.sync()).toMatchObject({ replaced: 1, failed: 0 });
    expect(files()).toEqual([key, `${key}.json`]);
    const { channels } = await sharp(path.join(disk, 'Web', key)).stats();
    expect(channels[2]!.mean).toBeGreaterThan(channels[0]!.mean);
    expect(sidecar(key).version).toBe(await bench.contentHash(name));

    await bench.dam('set', bench.file(name), 'licenseEnd=2020-01-31');
    expect(await bench.sync()).toMatchObject({ retracted: 1 });
    expect(files()).toEqual([]);
  });

  it('waits while the server is down, delivers once it is up, and rides out 500s: one file each', async () => {
    await proxy.down();
    await bench.approve('down.jpg');
    expect(await bench.sync()).toMatchObject({ published: 0, failed: 1 });
    expect((await bench.publications('down.jpg'))[0]!.error).toMatch(/waiting: cannot reach/);
    await proxy.up();
    proxy.fail500 = 2;
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    expect(files()).toEqual([`photos/${await keyOf('down.jpg')}`, `photos/${await keyOf('down.jpg')}.json`]);
  });

  it('keeps one file when the answer to its upload never came (timeout), and refuses a wrong password', async () => {
    await bench.approve('lost.jpg');
    const key = `photos/${await keyOf('lost.jpg')}`;
    proxy.swallowNext = (method, url) => method === 'PUT' && url.endsWith('lost.jpg');
    expect(await bench.sync()).toMatchObject({ published: 1, failed: 0 });
    // The sidecar comes after the file: the run that timed out never wrote it, so the next one put
    // the file again, over the same path: still one file.
    expect(
      proxy.forwarded.filter((r) => r.startsWith('PUT') && r.endsWith('lost.jpg')).length,
    ).toBeGreaterThan(0);
    expect(files().filter((f) => f.includes('lost'))).toEqual([key, `${key}.json`]);
    expect(sidecar(key).version).toBe(await bench.contentHash('lost.jpg'));

    const add = await bench.run(
      [
        'endpoint',
        'add',
        'wrong',
        '--type',
        'webdav',
        '--url',
        `${proxy.url}/Other`,
        '--user',
        'editor',
        '--password-stdin',
        '--manual',
      ],
      'not-the-password-7',
    );
    expect(add.status).toBe(0);
    const out = await bench.run(['publish', bench.file('lost.jpg'), '--to', 'wrong']);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/→ wrong: failed \(.*refused the user or password \(HTTP 401\)/);
    expect(fs.existsSync(path.join(disk, 'Other'))).toBe(false);
    for (const text of bench.printed) expect(text.includes(PASSWORD)).toBe(false);
  });
});
