import { create } from 'zustand';
import type { FieldPatch } from '../../../shared/contract';
import type { RightsTemplate } from '../../../shared/governance';
import { call } from '../api/client';

export interface TemplatesState {
  templates: RightsTemplate[];
  loaded: boolean;
  load(): Promise<void>;
  save(name: string, fields: FieldPatch): Promise<RightsTemplate>;
  remove(name: string): Promise<void>;
  apply(name: string, ids: number[]): Promise<number>;
}

/** Named sets of rights (a photographer's credit and licence, an agency's terms), kept in the catalogue. */
export const useTemplates = create<TemplatesState>((set, get) => ({
  templates: [],
  loaded: false,

  async load() {
    const templates = await call('rights.templates.list', {});
    set({ templates: [...templates].sort((a, b) => a.name.localeCompare(b.name)), loaded: true });
  },

  async save(name, fields) {
    const saved = await call('rights.templates.save', { name, fields });
    const rest = get().templates.filter((t) => t.name !== saved.name);
    set({ templates: [...rest, saved].sort((a, b) => a.name.localeCompare(b.name)) });
    return saved;
  },

  async remove(name) {
    await call('rights.templates.delete', { name });
    set({ templates: get().templates.filter((t) => t.name !== name) });
  },

  async apply(name, ids) {
    const { updated } = await call('rights.templates.apply', { name, ids });
    return updated;
  },
}));
