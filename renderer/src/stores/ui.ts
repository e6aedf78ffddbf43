import { create } from 'zustand';

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
  /** Offer an Undo button (the toast reports an edit). */
  undoable: boolean;
  /** Stays until replaced: it reports work under way, and whoever started it replaces it when done. */
  sticky: boolean;
}

export type PanelTab = 'details' | 'rights' | 'approval' | 'versions' | 'publish';

/** One side of a comparison: a version (an asset, whose details the view reads) or a kept content. */
export interface CompareSide {
  url: string | null;
  label: string;
  /** A version: its name, size, dates, dimensions and state are shown from the asset. */
  assetId?: number;
  /** A kept content, which is no asset: what is known of it. */
  facts?: [string, string][];
}

/** Two pictures side by side: two versions, or a kept content beside the present one. */
export interface CompareSpec {
  title: string;
  left: CompareSide;
  right: CompareSide;
}

/** What the Share dialog makes a link for: a collection (live) or the assets selected now. */
export type ShareTarget = { label: string } & ({ collectionId: number } | { assetIds: number[] });

export interface UiState {
  /** The loupe shows the selection's focused asset. */
  loupeOpen: boolean;
  settingsOpen: boolean;
  problemsOpen: boolean;
  /** Which panel the inspector and the loupe show beside the picture. */
  panelTab: PanelTab;
  compare: CompareSpec | null;
  /** The duplicates review is open. */
  duplicatesOpen: boolean;
  /** The People view (clusters of faces) is open. */
  peopleOpen: boolean;
  /** The usage reports are open. */
  reportsOpen: boolean;
  /** Tiles per grid row, as laid out: arrow up/down move by this many. */
  columns: number;
  /** The loupe draws the faces found over the picture (F), from one picture to the next. */
  loupeFaces: boolean;
  /** The loupe shows the crop editor over the picture (R). */
  loupeCrop: boolean;
  toast: Toast | null;
  /** The Share dialog is open for this. */
  share: ShareTarget | null;
  set(patch: Partial<Omit<UiState, 'set' | 'notify'>>): void;
  /** Shows a message (replacing the one shown); returns its id, for settle(). */
  notify(message: string, opts?: { tone?: Toast['tone']; undoable?: boolean; sticky?: boolean }): number;
  /**
   * The work a sticky toast reported is over: its message is replaced by this one, which is also
   * shown when no toast is up; another message that replaced it in the meantime stays.
   */
  settle(id: number, message: string, opts?: { tone?: Toast['tone'] }): void;
}

let toastId = 0;

export const useUi = create<UiState>((set, get) => ({
  loupeOpen: false,
  settingsOpen: false,
  problemsOpen: false,
  panelTab: 'details',
  compare: null,
  duplicatesOpen: false,
  peopleOpen: false,
  reportsOpen: false,
  columns: 1,
  loupeFaces: false,
  loupeCrop: false,
  toast: null,
  share: null,
  set: (patch) => set(patch),
  notify: (message, opts = {}) => {
    const id = ++toastId;
    set({
      toast: {
        id,
        message,
        tone: opts.tone ?? 'info',
        undoable: opts.undoable ?? false,
        sticky: opts.sticky ?? false,
      },
    });
    return id;
  },
  settle: (id, message, opts = {}) => {
    const shown = get().toast;
    if (shown === null || shown.id === id) get().notify(message, opts);
  },
}));
