import type { DamApi, OpInput, OpName, OpResult } from '../../../shared/contract';
import { createHttpClient } from './http-client';

/** The bridge is chosen once at start: the Electron preload's global, else HTTP. */
export const api: DamApi = window.dam ?? createHttpClient();

export class ApiCallError extends Error {}

/** Call and unwrap: errors become exceptions with the core's readable message. */
export async function call<K extends OpName>(name: K, input: OpInput<K>): Promise<OpResult<K>> {
  const r = await api.call(name, input);
  if (!r.ok) throw new ApiCallError(r.error.message);
  return r.value;
}
