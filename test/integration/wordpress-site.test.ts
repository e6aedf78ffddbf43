import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { restUrl, useWordPress } from '../helpers/wordpress';

// The real WordPress the publishing tests run against (test/helpers/wordpress.ts): its REST API
// takes an Application Password over http, and an upload lands in this site's own temp folder.
describe('the WordPress test site', () => {
  const wp = useWordPress();

  it('answers REST calls with an Application Password, stores uploads in its own folder and serves them', async () => {
    const me = await wp.site.rest('GET', '/wp/v2/users/me?context=edit');
    expect(me.status).toBe(200);
    expect((me.json as { roles: string[] }).roles).toContain('administrator');

    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
      .jpeg()
      .toBuffer();
    const auth = `Basic ${Buffer.from(`${wp.site.user}:${wp.site.appPassword}`).toString('base64')}`;
    const up = await fetch(restUrl(wp.site.url, '/wp/v2/media'), {
      method: 'POST',
      headers: {
        authorization: auth,
        'content-type': 'image/jpeg',
        'content-disposition': 'attachment; filename="red.jpg"',
      },
      body: jpeg,
    });
    const media = (await up.json()) as { id: number; source_url: string };
    expect(up.status).toBe(201);
    const served = Buffer.from(await (await fetch(media.source_url)).arrayBuffer());
    expect(served.equals(jpeg)).toBe(true);
    const rel = new URL(media.source_url).pathname.replace('/wp-content/', '');
    expect(fs.existsSync(path.join(wp.site.dir, 'wp-content', rel))).toBe(true);

    // A wrong password is refused, not taken as anonymous.
    const bad = await fetch(restUrl(wp.site.url, '/wp/v2/users/me'), {
      headers: { authorization: `Basic ${Buffer.from(`${wp.site.user}:nope nope`).toString('base64')}` },
    });
    expect(bad.status).toBe(401);
  });
});
