import { create } from 'zustand';

export type Theme = 'dark' | 'light' | 'system';
export interface SavedSearch {
  name: string;
  query: string;
}

interface SettingsState {
  theme: Theme;
  thumbSize: number;
  saved: SavedSearch[];
  setTheme(t: Theme): void;
  setThumbSize(n: number): void;
  saveSearch(s: SavedSearch): void;
  removeSearch(name: string): void;
}

const KEY = 'tessera.settings';

function load(): Pick<SettingsState, 'theme' | 'thumbSize' | 'saved'> {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<SettingsState>;
    return { theme: s.theme ?? 'dark', thumbSize: s.thumbSize ?? 180, saved: s.saved ?? [] };
  } catch {
    return { theme: 'dark', thumbSize: 180, saved: [] };
  }
}

export const useSettings = create<SettingsState>((set, get) => {
  const persist = () => {
    const { theme, thumbSize, saved } = get();
    localStorage.setItem(KEY, JSON.stringify({ theme, thumbSize, saved }));
  };
  return {
    ...load(),
    setTheme: (theme) => (set({ theme }), persist()),
    setThumbSize: (thumbSize) => (set({ thumbSize }), persist()),
    saveSearch: (s) => (set({ saved: [...get().saved.filter((x) => x.name !== s.name), s] }), persist()),
    removeSearch: (name) => (set({ saved: get().saved.filter((x) => x.name !== name) }), persist()),
  };
});
