import { create } from 'zustand';

export type Theme = 'dark' | 'light' | 'system';

export interface SavedSearch {
  name: string;
  query: string;
}

interface Persisted {
  theme: Theme;
  thumbSize: number;
  showCaptions: boolean;
  savedSearches: SavedSearch[];
}

export interface SettingsState extends Persisted {
  setTheme(theme: Theme): void;
  setThumbSize(px: number): void;
  setShowCaptions(on: boolean): void;
  saveSearch(s: SavedSearch): void;
  removeSearch(name: string): void;
}

const KEY = 'tessera.settings.v1';
export const THUMB_MIN = 96;
export const THUMB_MAX = 400;
const DEFAULTS: Persisted = { theme: 'dark', thumbSize: 150, showCaptions: true, savedSearches: [] };

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser's privacy settings
  }
}

/** Whatever is stored is checked field by field: an older or hand-edited value must not break the app. */
function load(): Persisted {
  try {
    const raw = JSON.parse(storage()?.getItem(KEY) ?? '{}') as Partial<Persisted>;
    return {
      theme: ['dark', 'light', 'system'].includes(raw.theme as string) ? raw.theme! : DEFAULTS.theme,
      thumbSize:
        typeof raw.thumbSize === 'number'
          ? Math.min(THUMB_MAX, Math.max(THUMB_MIN, raw.thumbSize))
          : DEFAULTS.thumbSize,
      showCaptions: typeof raw.showCaptions === 'boolean' ? raw.showCaptions : DEFAULTS.showCaptions,
      savedSearches: Array.isArray(raw.savedSearches)
        ? raw.savedSearches.filter((s) => typeof s?.name === 'string' && typeof s.query === 'string')
        : [],
    };
  } catch {
    return { ...DEFAULTS };
  }
}

export const useSettings = create<SettingsState>((set, get) => {
  const update = (patch: Partial<Persisted>) => {
    set(patch);
    const { theme, thumbSize, showCaptions, savedSearches } = get();
    storage()?.setItem(KEY, JSON.stringify({ theme, thumbSize, showCaptions, savedSearches }));
  };
  return {
    ...load(),
    setTheme: (theme) => update({ theme }),
    setThumbSize: (px) => update({ thumbSize: Math.min(THUMB_MAX, Math.max(THUMB_MIN, Math.round(px))) }),
    setShowCaptions: (showCaptions) => update({ showCaptions }),
    saveSearch: (s) =>
      update({ savedSearches: [...get().savedSearches.filter((x) => x.name !== s.name), s] }),
    removeSearch: (name) => update({ savedSearches: get().savedSearches.filter((x) => x.name !== name) }),
  };
});
