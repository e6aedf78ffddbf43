import type { Label } from '../../../shared/contract';

/**
 * The contract's LABELS, restated: importing values from shared/contract.ts would pull zod and
 * every input schema into the UI bundle. The types below fail to compile if the lists drift apart.
 */
export const LABELS = ['red', 'yellow', 'green', 'blue', 'purple'] as const satisfies readonly Label[];

type Missing = Exclude<Label, (typeof LABELS)[number]>;
const complete: [Missing] extends [never] ? true : never = true;
void complete;
