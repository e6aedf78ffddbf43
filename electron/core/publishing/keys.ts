import { DEFAULT_KEY_TEMPLATE } from '../../../shared/publishing';

/** The catalogue's id as it goes into a key: short, lower case, letters and digits. */
export function originPart(origin: string): string {
  return origin
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 12);
}

/** The key of an asset's remote copy of one version: found again after a crash between upload and commit. */
export function remoteSlug(origin: string, assetId: number, versionHash: string): string {
  return `dam-${originPart(origin)}-${assetId}-${versionHash.slice(0, 12)}`;
}

/**
 * A file name's stem as a key part a person can read and every store accepts: ASCII letters,
 * digits and dashes, lower case, at most 60 characters ("asset" when nothing is left).
 */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'asset';
}

const KEY_PARTS = ['assetId', 'slug', 'ext', 'origin'] as const;

/** Why a key template cannot be used, or null when it can. */
export function keyTemplateProblem(template: string): string | null {
  if (!template.includes('{assetId}')) return 'it must hold {assetId} (one key per asset)';
  for (const m of template.matchAll(/\{(\w*)\}/g))
    if (!(KEY_PARTS as readonly string[]).includes(m[1]!))
      return `{${m[1]}} is not one of ${KEY_PARTS.map((p) => `{${p}}`).join(' ')}`;
  if (template.startsWith('/') || template.split('/').some((s) => s === '..' || s === '.' || s === ''))
    return 'it must be a relative path without empty, . or .. parts';
  if (/[\\\u0000-\u001f]/.test(template)) return 'it must not hold backslashes or control characters';
  return null;
}

/**
 * The key of an asset's copy under an S3 prefix or a WebDAV folder, from the endpoint's template
 * (default `{assetId}-{slug}.{ext}`): the same for every version, so a new one replaces it in place.
 */
export function fileKey(
  template: string | undefined,
  ctx: { origin: string; assetId: number; name: string },
  ext: string,
): string {
  const parts: Record<string, string> = {
    assetId: String(ctx.assetId),
    slug: slugify(ctx.name),
    ext: ext.toLowerCase().replace(/[^a-z0-9]/g, '') || 'bin',
    origin: originPart(ctx.origin),
  };
  return (template ?? DEFAULT_KEY_TEMPLATE).replace(/\{(\w+)\}/g, (_, p: string) => parts[p] ?? '');
}
