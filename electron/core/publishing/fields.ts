import crypto from 'node:crypto';
import type { FieldValues } from '../governance/fields';

/**
 * An endpoint's field mapping applied to an asset: each CMS field is a template where `{field}` is
 * the asset's value and a part in `[...]` is left out when a field it names is empty.
 */
export function mapFields(
  map: Record<string, string>,
  values: FieldValues,
  fallbacks: { name: string },
): Record<string, string> {
  const value = (name: string): string => {
    if (name === 'name') return fallbacks.name;
    const v = (values as unknown as Record<string, unknown>)[name];
    if (Array.isArray(v)) return v.join(', ');
    return v == null ? '' : String(v);
  };
  const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_, f: string) => value(f));
  const out: Record<string, string> = {};
  for (const [field, template] of Object.entries(map)) {
    const text = template
      .replace(/\[([^\]]*)\]/g, (_, part: string) =>
        [...part.matchAll(/\{(\w+)\}/g)].every((m) => value(m[1]!).trim() !== '') ? fill(part) : '',
      )
      .replace(/\{(\w+)\}/g, (_, f: string) => value(f))
      .trim();
    out[field] = text;
  }
  // A media item needs a title: the file's name when the asset has none.
  if ('title' in out && !out.title) out.title = fallbacks.name;
  return out;
}

export function fieldsHash(fields: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)));
  return crypto.createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}

/** What the CMS stored of each field sent, read back: fields it dropped or changed, worded. */
export function droppedFields(sent: Record<string, string>, stored: Record<string, unknown>): string[] {
  const read = (f: string): string => {
    const v = stored[f];
    if (v && typeof v === 'object') return String((v as { raw?: string }).raw ?? '');
    return v == null ? '' : String(v);
  };
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  for (const [f, v] of Object.entries(sent)) {
    if (f === 'slug') continue;
    const got = norm(read(f));
    if (got === norm(v)) continue;
    out.push(
      got === '' && v !== '' ? `the CMS dropped ${f}` : `the CMS changed ${f} to "${got.slice(0, 80)}"`,
    );
  }
  return out;
}

/**
 * The registered meta the companion WordPress plugin keeps on an attachment: credit, licence,
 * licence end and the asset's id in this catalogue (which its "From the DAM" filter looks for).
 */
export function pluginMeta(values: FieldValues, assetId: number): Record<string, string> {
  return {
    tessera_credit: values.credit ?? '',
    tessera_licence: values.licenseType ?? '',
    tessera_expiry: values.licenseEnd ?? '',
    tessera_asset_id: String(assetId),
  };
}

/** Meta sent that the CMS did not keep, worded like droppedFields. */
export function droppedMeta(
  sent: Record<string, string>,
  stored: Record<string, unknown> | undefined,
): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(sent)) {
    const got = stored?.[k];
    const text = got == null ? '' : typeof got === 'string' ? got : JSON.stringify(got);
    if (text.trim() === v.trim()) continue;
    out.push(
      text === '' && v !== '' ? `the CMS dropped ${k}` : `the CMS changed ${k} to "${text.slice(0, 80)}"`,
    );
  }
  return out;
}
