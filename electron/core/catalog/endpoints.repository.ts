import type { Channel } from '../../../shared/governance';
import type { Delivery, EndpointOptions, EndpointType, RequirableField } from '../../../shared/publishing';
import type { Db } from './open';
import { stmt } from './statements';

/** An endpoint as stored (its password is not: see publishing/credentials.ts). */
export interface EndpointRow {
  id: number;
  name: string;
  type: EndpointType;
  url: string;
  user: string | null;
  channel: Channel;
  select: string;
  preset: string | null;
  fieldMap: Record<string, string>;
  required: RequirableField[];
  delivery: Delivery;
  options: EndpointOptions;
}

interface Raw {
  id: number;
  name: string;
  type: EndpointType;
  url: string;
  user: string | null;
  channel: Channel;
  select_query: string;
  preset: string | null;
  field_map: string;
  required: string;
  delivery: Delivery;
  options: string;
}

function fromRaw(r: Raw): EndpointRow {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    url: r.url,
    user: r.user,
    channel: r.channel,
    select: r.select_query,
    preset: r.preset,
    fieldMap: JSON.parse(r.field_map) as Record<string, string>,
    required: JSON.parse(r.required) as RequirableField[],
    delivery: r.delivery,
    options: JSON.parse(r.options) as EndpointOptions,
  };
}

export function listEndpoints(db: Db): EndpointRow[] {
  return (stmt(db, `SELECT * FROM endpoints ORDER BY name`).all() as Raw[]).map(fromRaw);
}

export function endpointByName(db: Db, name: string): EndpointRow | undefined {
  const r = stmt(db, `SELECT * FROM endpoints WHERE name = ?`).get(name) as Raw | undefined;
  return r && fromRaw(r);
}

export function endpointById(db: Db, id: number): EndpointRow | undefined {
  const r = stmt(db, `SELECT * FROM endpoints WHERE id = ?`).get(id) as Raw | undefined;
  return r && fromRaw(r);
}

/** Any endpoint at all: decisions owe the outbox nothing without one. */
export function anyEndpoint(db: Db): boolean {
  return stmt(db, `SELECT 1 FROM endpoints LIMIT 1`).pluck().get() !== undefined;
}

export function insertEndpoint(db: Db, e: Omit<EndpointRow, 'id'>, now = Date.now()): number {
  return Number(
    stmt(
      db,
      `INSERT INTO endpoints (name, type, url, user, channel, select_query, preset, field_map, required, delivery, created_at, options)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      e.name,
      e.type,
      e.url,
      e.user,
      e.channel,
      e.select,
      e.preset,
      JSON.stringify(e.fieldMap),
      JSON.stringify(e.required),
      e.delivery,
      now,
      JSON.stringify(e.options),
    ).lastInsertRowid,
  );
}

export function deleteEndpoint(db: Db, id: number): boolean {
  return stmt(db, `DELETE FROM endpoints WHERE id = ?`).run(id).changes > 0;
}

/** Store an endpoint's settings (its name and type stay: the password is kept under the name). */
export function updateEndpointRow(db: Db, e: EndpointRow): void {
  stmt(
    db,
    `UPDATE endpoints SET url = ?, user = ?, channel = ?, select_query = ?, preset = ?, field_map = ?,
            required = ?, delivery = ?, options = ? WHERE id = ?`,
  ).run(
    e.url,
    e.user,
    e.channel,
    e.select,
    e.preset,
    JSON.stringify(e.fieldMap),
    JSON.stringify(e.required),
    e.delivery,
    JSON.stringify(e.options),
    e.id,
  );
}
