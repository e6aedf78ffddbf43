import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/core/api';
import type { FolderListing, HostInfo, OpName } from '../../shared/contract';
import { tempDir } from '../helpers/corpus';
import { freshLibrary } from '../helpers/library';

// Adding a folder from a browser served by `dam serve`: the path a person types is read on the
// server, and the folder browser lists the server's folders. A real catalogue, real folders, and
// HOME pointed at a temporary folder (os.homedir() reads it), so "~" and the home place are ours.
describe('adding a folder by path or by browsing', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let home: string;
  let outside: string;
  const savedHome = process.env.HOME;
  let call: (name: OpName, input: unknown) => ReturnType<typeof dispatch>;

  beforeAll(() => {
    home = fs.realpathSync(tempDir('dam-home-'));
    outside = fs.realpathSync(tempDir('dam-outside-'));
    process.env.HOME = home;
    for (const d of ['Pictures/2024/Trip', 'Pictures/2025', 'Documents', '.cache/thumbs', '@eaDir'])
      fs.mkdirSync(path.join(home, d), { recursive: true });
    fs.writeFileSync(path.join(home, 'Pictures', 'note.txt'), 'a file, never listed');
    fs.symlinkSync(outside, path.join(home, 'Pictures', 'elsewhere'));
    ctx = freshLibrary();
    const handlers = createHandlers(ctx.lib);
    call = (name, input) => dispatch(handlers, name, input);
  });

  afterAll(async () => {
    process.env.HOME = savedHome;
    await ctx.dispose();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('tells the UI the platform and an example path of that platform', async () => {
    const r = await call('host.info', {});
    expect(r.ok).toBe(true);
    const info = (r as { value: HostInfo }).value;
    expect(info.platform).toBe(process.platform);
    expect(info.home).toBe(home);
    expect(info.examplePath).toBe(path.join(home, 'Pictures'));
    expect(info.examplePath).not.toMatch(/^\/Users\//);
  });

  it('expands ~ to the home folder and refuses a relative path with a clear message', async () => {
    const added = await call('roots.add', { path: '~/Pictures' });
    expect(added).toMatchObject({ ok: true, value: { path: path.join(home, 'Pictures') } });
    const relative = await call('roots.add', { path: 'Documents' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const message = (relative as { error: { message: string } }).error.message;
    expect(message).toMatch(/full path/);
    expect(message).toContain(path.join(home, 'Pictures'));
    expect(message).not.toContain(process.cwd());
    const other = await call('roots.add', { path: '~someone/Pictures' });
    expect(other).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('lists sub-folders only: no files, no hidden or clutter folders, no links out', async () => {
    const top = await call('folders.browse', {});
    const places = (top as { value: FolderListing }).value;
    expect(places.path).toBeNull();
    expect(places.folders).toContainEqual({ name: 'Home', path: home });

    const r = await call('folders.browse', { path: home });
    const listing = (r as { value: FolderListing }).value;
    expect(listing.path).toBe(home);
    expect(listing.parent).toBeNull();
    expect(listing.folders.map((f) => f.name)).toEqual(['Documents', 'Pictures']);

    const pics = (await call('folders.browse', { path: '~/Pictures' })) as { value: FolderListing };
    expect(pics.value.folders).toEqual([
      { name: '2024', path: path.join(home, 'Pictures', '2024') },
      { name: '2025', path: path.join(home, 'Pictures', '2025') },
    ]);
    expect(pics.value.parent).toBe(home);
  });

  it('refuses to browse outside the home folder and mounted drives, through a link or not', async () => {
    for (const p of ['/etc', outside, path.join(home, 'Pictures', 'elsewhere'), `${home}/../`]) {
      const r = await call('folders.browse', { path: p });
      expect(r).toMatchObject({ ok: false, error: { code: 'refused', reason: 'not-browsable' } });
      expect((r as { error: { message: string } }).error.message).toMatch(
        /outside the folders that can be browsed/,
      );
    }
    expect(await call('folders.browse', { path: 'Pictures' })).toMatchObject({ ok: false });
    expect(await call('folders.browse', { path: path.join(home, 'nope') })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/folder not found/) },
    });
  });
});
