import fs from 'node:fs';
import path from 'node:path';
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { CORE_EVENTS } from '../core/port-adapter';
import { initialState, reduce, statusLine } from './background-status';
import type { EventSource } from './ipc-adapter';

// With its window closed the app keeps running: the watcher keeps cataloguing and the job runner
// keeps delivering. The tray (Windows, Linux) or the menu bar (macOS, beside the dock icon) says
// what it is doing and brings the window back.

const RESOURCES = path.join(__dirname, '..', '..', 'resources');

export interface BackgroundSettings {
  /** Keep running with the window closed (true by default). */
  keepRunning: boolean;
}

const SETTINGS_FILE = 'desktop-settings.json';

export function loadBackgroundSettings(dir: string): BackgroundSettings {
  try {
    const s = JSON.parse(
      fs.readFileSync(path.join(dir, SETTINGS_FILE), 'utf8'),
    ) as Partial<BackgroundSettings>;
    return { keepRunning: s.keepRunning !== false };
  } catch {
    return { keepRunning: true };
  }
}

function saveBackgroundSettings(dir: string, s: BackgroundSettings): void {
  try {
    fs.writeFileSync(path.join(dir, SETTINGS_FILE), JSON.stringify(s));
  } catch {
    // The choice still holds for this run.
  }
}

function trayImage(): NativeImage {
  if (process.platform === 'darwin') {
    const img = nativeImage.createFromPath(path.join(RESOURCES, 'trayTemplate.png'));
    img.setTemplateImage(true);
    return img;
  }
  // Panels may be dark or light: the coloured app icon reads on both.
  return nativeImage.createFromPath(path.join(RESOURCES, 'icon.png')).resize({ width: 32, height: 32 });
}

/** The tray icon with its live status line; returns a function that removes it. */
export function startTray(opts: {
  core: EventSource;
  dataDir: string;
  settings: BackgroundSettings;
  show(): void;
  quit(): void;
}): () => void {
  const tray = new Tray(trayImage());
  let state = initialState();
  let line = statusLine(state);
  const render = () => {
    tray.setToolTip(`Tessera: ${line}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: line, enabled: false },
        { type: 'separator' },
        { label: 'Open Tessera', click: opts.show },
        {
          label: 'Keep Running When the Window Is Closed',
          type: 'checkbox',
          checked: opts.settings.keepRunning,
          click: (item) => {
            opts.settings.keepRunning = item.checked;
            saveBackgroundSettings(opts.dataDir, opts.settings);
          },
        },
        { type: 'separator' },
        { label: 'Quit Tessera', click: opts.quit },
      ]),
    );
  };
  render();
  tray.on('click', opts.show);
  const offs = CORE_EVENTS.map((name) =>
    opts.core.on(name, (payload) => {
      state = reduce(state, name, payload);
      const next = statusLine(state);
      // Menus are rebuilt only when the words change, not on every progress tick.
      if (next !== line) {
        line = next;
        render();
      }
    }),
  );
  return () => {
    offs.forEach((off) => off());
    tray.destroy();
  };
}
