// The colour labels, in the order every side offers them (the UI's picker and filter, `dam set`,
// `label:` in search, the README). Kept apart from contract.ts so the UI can import it without zod.

export const LABELS = ['red', 'yellow', 'green', 'blue', 'purple'] as const;
export type Label = (typeof LABELS)[number];
