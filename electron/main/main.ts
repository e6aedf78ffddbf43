import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import { createHandlers } from '../core/api';
import { Library } from '../core/library';
import { MediaError, isInside, previewFile, snapshotPreviewFile, thumbnailFile } from '../core/media';
import { CSP } from '../server/http-bridge';
import { forwardEvents, registerIpc } from './ipc-adapter';
import { buildMenu } from './menu';
import { loadWindowState, trackWindowState } from './window-state';

// The Electron shell: windows, menus, protocols and the IPC adapter. Everything else is the core.

const RENDERER_DIR = path.join(__dirname, '..', 'renderer');
const APP_ORIGIN = 'app://tessera';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: 'dam-media', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

/** better-sqlite3 built for Electron's ABI lives apart, so tests and the CLI keep Node's build. */
function electronBinding(): string | undefined {
  const candidates = [
    path.join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
    path.join(__dirname, '..', '..', 'native', 'electron', 'better_sqlite3.node'),
  ];
  return candidates.find((c) => fs.existsSync(c));
}

async function main(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const binding = electronBinding();
  const lib = Library.open(dataDir, { create: true, ...(binding ? { nativeBinding: binding } : {}) });
  const handlers = createHandlers(lib);
  let win: BrowserWindow | null = null;

  const assetPath = (id: number) => lib.asset(id)?.path;
  handlers['desktop.pickFolder'] = async () => {
    const r = await dialog.showOpenDialog(win ?? undefined!, { properties: ['openDirectory'] });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
  handlers['desktop.reveal'] = (i) => {
    const p = assetPath(i.id);
    if (p) shell.showItemInFolder(p);
    return { ok: true };
  };
  handlers['desktop.open'] = async (i) => {
    const p = assetPath(i.id);
    if (p) await shell.openPath(p);
    return { ok: true };
  };

  // The UI, with its CSP as a real header.
  protocol.handle('app', async (req) => {
    const rel = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(RENDERER_DIR, rel);
    if (!isInside(RENDERER_DIR, file)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    return new Response(res.body, { status: res.status, headers });
  });
  // Thumbnails, previews and previews of kept contents (?v=HASH): paths come from the catalogue,
  // confined to its cache, the roots and the history store.
  protocol.handle('dam-media', async (req) => {
    const url = new URL(req.url);
    const id = Number(url.pathname.replace(/^\/+/, ''));
    try {
      const file =
        url.hostname === 'thumb'
          ? thumbnailFile(lib, id)
          : url.hostname === 'snapshot'
            ? await snapshotPreviewFile(lib, id, url.searchParams.get('v'))
            : await previewFile(lib, id);
      return net.fetch(pathToFileURL(file).toString());
    } catch (err) {
      return new Response(err instanceof Error ? err.message : 'error', {
        status: err instanceof MediaError ? err.status : 500,
      });
    }
  });

  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  registerIpc(ipcMain, handlers, (url) => url.startsWith(APP_ORIGIN));
  ipcMain.on('dam:start-drag', (event, ids: unknown) => {
    if (!event.senderFrame?.url.startsWith(APP_ORIGIN) || !Array.isArray(ids)) return;
    const files = ids
      .filter((x): x is number => Number.isInteger(x))
      .map(assetPath)
      .filter((p): p is string => !!p);
    if (files.length === 0) return;
    event.sender.startDrag({
      file: files[0]!,
      files,
      icon: path.join(__dirname, '..', '..', 'resources', 'drag.png'),
    });
  });

  const state = loadWindowState(dataDir);
  win = new BrowserWindow({
    ...state.bounds,
    minWidth: 800,
    minHeight: 500,
    backgroundColor: '#1b1c1f',
    title: 'Tessera',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, dataDir);
  win.once('ready-to-show', () => win?.show());
  const contents = win.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e, url) => {
    if (!url.startsWith(APP_ORIGIN)) e.preventDefault();
  });
  const stopEvents = forwardEvents(lib, contents);
  Menu.setApplicationMenu(
    buildMenu({
      addFolder: () => void contents.send('dam:menu', 'add-folder'),
      rescan: () => void lib.scan(),
    }),
  );
  await win.loadURL(`${APP_ORIGIN}/index.html`);
  void lib.startWatching();

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    stopEvents();
    void lib.close();
  });
}

main().catch((err: unknown) => {
  dialog.showErrorBox('Tessera could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
