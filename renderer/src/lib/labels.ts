// The colour labels the UI offers: the one list every side uses (shared/labels.ts, zod-free).
export { LABELS } from '../../../shared/labels';
