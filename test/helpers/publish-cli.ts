import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { tempDir } from './corpus';
import { CLI } from './library';

/**
 * A catalogue with a folder of generated photos, driven through the CLI as a person would, for the
 * publishing tests. The CLI runs without blocking this process: the servers the tests start live
 * here and must keep answering.
 */
export class PublishBench {
  readonly work = tempDir('dam-publish-');
  readonly cat = path.join(this.work, 'catalog');
  readonly photos = path.join(this.work, 'photos');
  /** Everything the CLI printed: a secret must be in none of it. */
  readonly printed: string[] = [];

  constructor(readonly env: Record<string, string> = {}) {
    fs.mkdirSync(this.photos);
  }

  file(name: string): string {
    return path.join(this.photos, name);
  }

  run(args: string[], input = '', env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [CLI, '--catalog', this.cat, ...args], {
      env: { ...process.env, ...this.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input);
    return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (status) => {
        this.printed.push(stdout, stderr);
        resolve({ status, stdout, stderr });
      }),
    );
  }

  async dam(...args: string[]): Promise<string> {
    const r = await this.run(args);
    if (r.status !== 0) throw new Error(`dam ${args.join(' ')} (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  async json<T>(...args: string[]): Promise<T> {
    return JSON.parse(await this.dam(...args, '--json')) as T;
  }

  async photo(name: string, colour: string): Promise<void> {
    await sharp({ create: { width: 320, height: 240, channels: 3, background: colour } })
      .jpeg({ quality: 90 })
      .toFile(this.file(name));
  }

  /** Photos, a root and a scan. */
  async setUp(photos: Record<string, string>): Promise<void> {
    for (const [name, colour] of Object.entries(photos)) await this.photo(name, colour);
    await this.dam('add-root', this.photos);
    await this.dam('scan');
  }

  async idOf(name: string): Promise<number> {
    return (await this.json<{ id: number }>('show', this.file(name))).id;
  }

  async contentHash(name: string): Promise<string> {
    return (await this.json<{ contentHash: string }>('show', this.file(name))).contentHash;
  }

  /** Rights, alt text and approval: what the rights gate asks for. */
  async approve(name: string, fields: string[] = []): Promise<void> {
    await this.dam(
      'set',
      this.file(name),
      'credit=North Studio',
      'licenseType=cc-by',
      `altText=${name} in the rain`,
      ...fields,
    );
    await this.dam('submit', this.file(name));
    await this.dam('approve', this.file(name));
  }

  /** A new version of a photo, approved: what replaces the remote copy. */
  async newVersion(name: string, colour: string): Promise<void> {
    await this.photo(name, colour);
    await this.dam('scan');
    await this.dam('approve', this.file(name));
  }

  async sync(): Promise<Record<string, number>> {
    return this.json<Record<string, number>>('sync');
  }

  publications(name: string) {
    return this.json<
      {
        endpoint: string;
        state: string;
        remoteId: string | null;
        url: string | null;
        versionHash: string | null;
        error: string | null;
        warnings: string[];
      }[]
    >('publications', this.file(name));
  }

  cleanUp(): void {
    fs.rmSync(this.work, { recursive: true, force: true });
  }
}
