import { rightsPatch, type FieldPatch } from '../../../shared/contract';
import type { RightsTemplate } from '../../../shared/governance';
import type { Db } from '../catalog/open';
import { stmt } from '../catalog/statements';
import { invalidInput, notFound } from '../errors';
import type { CoreContext } from '../context';
import type { Actor } from './settings';
import { setFields } from './set-fields';

function toTemplate(r: { name: string; fields: string; updated_at: number }): RightsTemplate {
  return {
    name: r.name,
    fields: JSON.parse(r.fields) as Record<string, unknown>,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export function listTemplates(db: Db): RightsTemplate[] {
  const rows = stmt(db, `SELECT name, fields, updated_at FROM rights_templates ORDER BY name`).all() as {
    name: string;
    fields: string;
    updated_at: number;
  }[];
  return rows.map(toTemplate);
}

/** A named set of rights (e.g. "Agency, web only, 2027") to apply to many assets at once. */
export function saveTemplate(db: Db, name: string, fields: FieldPatch): RightsTemplate {
  const parsed = rightsPatch.safeParse(fields);
  if (!parsed.success)
    throw invalidInput(`template ${name}: ${parsed.error.issues[0]?.message ?? 'invalid fields'}`);
  stmt(db, `INSERT OR REPLACE INTO rights_templates (name, fields, updated_at) VALUES (?, ?, ?)`).run(
    name.trim(),
    JSON.stringify(parsed.data),
    Date.now(),
  );
  return listTemplates(db).find((t) => t.name.toLowerCase() === name.trim().toLowerCase())!;
}

export function deleteTemplate(db: Db, name: string): boolean {
  return stmt(db, `DELETE FROM rights_templates WHERE name = ?`).run(name).changes > 0;
}

export async function applyTemplate(
  lib: CoreContext,
  name: string,
  ids: number[],
  who?: Actor,
): Promise<number> {
  const t = listTemplates(lib.db).find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!t) throw notFound(`no rights template "${name}"`);
  const results = await Promise.all(ids.map((id) => setFields(lib, id, t.fields as FieldPatch, who)));
  return results.filter((r) => r.changed.length > 0).length;
}
