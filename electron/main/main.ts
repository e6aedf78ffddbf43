import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BrowserWindow,
  Menu,
  MessageChannelMain,
  app,
  dialog,
  ipcMain,
  net,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
  type UtilityProcess,
} from 'electron';
import type { ApiResult, MediaKind, MenuCommand } from '../../shared/contract';
import type { Asset } from '../../shared/model';
import { dispatch, type Handlers } from '../core/api';
import { CSP } from '../server/http-bridge';
import { uiFile } from '../server/ui-files';
import { connectCore, type CoreClient } from './core-client';
import type { OpenAnswer, OpenMessage } from './core-process';
import { forwardEvents, registerIpc, type CallFn } from './ipc-adapter';
import { buildMenu } from './menu';
import { applyCredentialMessage } from './forwarded-credentials';
import { fromMessagePortMain } from './message-port';
import { SafeStorageCredentialStore, keychainUnavailable } from './safe-storage-credentials';
import { holdQuitUntilClosed, within } from './quit';
import { loadBackgroundSettings, startTray } from './tray';
import { loadWindowState, trackWindowState } from './window-state';

// The Electron shell: windows, menus, protocols and the IPC adapter. The core (catalogue, ingest,
// search) runs in its own utility process (core-process.ts); this thread only forwards to it.

const RENDERER_DIR = path.join(__dirname, '..', 'renderer');
const APP_ORIGIN = 'app://tessera';
const MEDIA_KINDS: readonly string[] = ['thumb', 'preview', 'snapshot'] satisfies MediaKind[];
/** How long quit waits for the catalogue to close before ending its process anyway. */
const CLOSE_TIMEOUT_MS = 30_000;

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

/** Fork the core's process, hand it a port and the catalogue folder, and wait until it is open. */
async function startCore(
  dir: string,
  credentials: SafeStorageCredentialStore,
): Promise<{ core: CoreClient; child: UtilityProcess }> {
  const child = utilityProcess.fork(path.join(__dirname, 'core-process.js'), [], {
    serviceName: 'Tessera catalogue',
    stdio: 'inherit',
  });
  const { port1, port2 } = new MessageChannelMain();
  const core = connectCore(fromMessagePortMain(port2));
  const binding = electronBinding();
  const open: OpenMessage = {
    type: 'open',
    dir,
    ...(binding ? { nativeBinding: binding } : {}),
    credentials: {
      secrets: credentials.readable(),
      unavailable: keychainUnavailable(safeStorage),
      where: credentials.where,
    },
  };
  const answer = new Promise<OpenAnswer>((resolve) => {
    child.on('message', (m: OpenAnswer | { type: string }) => {
      if (m.type === 'ready' || m.type === 'failed') resolve(m as OpenAnswer);
      // An endpoint's password to keep or forget, encrypted here (safeStorage is this process's alone).
      else if (m.type.startsWith('credential-'))
        try {
          applyCredentialMessage(credentials, m);
        } catch (err) {
          console.error(`endpoint password not stored: ${err instanceof Error ? err.message : String(err)}`);
        }
    });
    child.once('exit', (code) =>
      resolve({ type: 'failed', message: `the catalogue process ended (${code})` }),
    );
  });
  child.postMessage(open, [port1]);
  child.on('exit', (code) => core.fail(`the catalogue process stopped (exit code ${code})`));
  const a = await answer;
  if (a.type === 'failed') throw new Error(a.message);
  return { core, child };
}

/** Close the catalogue through its process, then end the process (at the latest after the timeout). */
async function stopCore(core: CoreClient, child: UtilityProcess): Promise<void> {
  const exited = new Promise<void>((r) => {
    if (child.pid === undefined) r();
    else child.once('exit', () => r());
  });
  await within(CLOSE_TIMEOUT_MS, core.close());
  child.kill();
  await exited;
}

async function main(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const { core, child } = await startCore(dataDir, SafeStorageCredentialStore.inFolder(safeStorage, dataDir));
  let win: BrowserWindow | null = null;

  const assetPaths = async (ids: number[]): Promise<string[]> => {
    const r = await core.call('assets.get', { ids });
    return r.ok ? (r.value as Asset[]).map((a) => a.path) : [];
  };
  // Desktop-only operations are answered here (OS dialogs and the shell); the rest of the contract
  // goes to the core. The same dispatch validates their input and shapes their errors.
  const desktop = {
    'desktop.pickFolder': async () => {
      const r = await dialog.showOpenDialog(win ?? undefined!, { properties: ['openDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    'desktop.reveal': async (i: { id: number }) => {
      const [p] = await assetPaths([i.id]);
      if (p) shell.showItemInFolder(p);
      return { ok: true as const };
    },
    'desktop.open': async (i: { id: number }) => {
      const [p] = await assetPaths([i.id]);
      if (p) await shell.openPath(p);
      return { ok: true as const };
    },
  } satisfies Partial<Handlers>;
  const call: CallFn = (name, input): Promise<ApiResult<unknown>> =>
    Object.prototype.hasOwnProperty.call(desktop, name)
      ? dispatch(desktop as unknown as Handlers, name, input)
      : core.call(name, input);

  // The UI, with its CSP as a real header; as dam serve answers it (no existence oracle).
  protocol.handle('app', async (req) => {
    const ui = uiFile(RENDERER_DIR, new URL(req.url).pathname);
    if (!ui) return new Response('malformed URL', { status: 400 });
    const res = await net.fetch(pathToFileURL(ui.file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    return new Response(res.body, { status: res.status, headers });
  });
  // Thumbnails, previews and previews of kept contents (?v=HASH): the core names the file (from
  // the catalogue, confined to its cache, the roots and the history store); it is read here.
  protocol.handle('dam-media', async (req) => {
    const url = new URL(req.url);
    const id = Number(url.pathname.replace(/^\/+/, ''));
    if (!MEDIA_KINDS.includes(url.hostname) || !Number.isSafeInteger(id) || id <= 0)
      return new Response('bad media URL', { status: 400 });
    const a = await core.media(url.hostname as MediaKind, id, url.searchParams.get('v'));
    if (!a.ok) return new Response(a.message, { status: a.status });
    // A file that cannot be read (a folder in its place, no permission) is one failed answer.
    return net
      .fetch(pathToFileURL(a.file).toString())
      .catch(() => new Response('the file cannot be read', { status: 500 }));
  });

  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  registerIpc(ipcMain, call, (url) => url.startsWith(APP_ORIGIN));
  ipcMain.on('dam:start-drag', (event, ids: unknown) => {
    if (!event.senderFrame?.url.startsWith(APP_ORIGIN) || !Array.isArray(ids)) return;
    const valid = ids.filter((x): x is number => Number.isSafeInteger(x) && x > 0).slice(0, 2000);
    if (valid.length === 0) return;
    void assetPaths(valid).then((files) => {
      if (files.length === 0 || event.sender.isDestroyed()) return;
      event.sender.startDrag({
        file: files[0]!,
        files,
        icon: path.join(__dirname, '..', '..', 'resources', 'drag.png'),
      });
    });
  });

  // The window comes and goes (closing it leaves the app running in the tray); the core, the
  // protocols and the IPC stay for the whole run.
  const openWindow = async (): Promise<void> => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    const state = loadWindowState(dataDir);
    const w = new BrowserWindow({
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
    win = w;
    if (state.maximized) w.maximize();
    trackWindowState(w, dataDir);
    w.once('ready-to-show', () => w.show());
    const contents = w.webContents;
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (e, url) => {
      if (!url.startsWith(APP_ORIGIN)) e.preventDefault();
    });
    const stopEvents = forwardEvents(core, contents);
    w.on('closed', () => {
      stopEvents();
      if (win === w) win = null;
    });
    await w.loadURL(`${APP_ORIGIN}/index.html`);
  };

  Menu.setApplicationMenu(
    buildMenu({
      addFolder: () => {
        const contents = win && !win.isDestroyed() ? win.webContents : null;
        if (contents) contents.send('dam:menu', 'add-folder' satisfies MenuCommand);
        else void openWindow();
      },
      rescan: () => void core.call('scan', {}),
    }),
  );

  const settings = loadBackgroundSettings(dataDir);
  const stopTray = startTray({
    core,
    dataDir,
    settings,
    show: () => void openWindow(),
    quit: () => app.quit(),
  });

  // Quit waits for the catalogue to close (jobs stopped, database closed) in its process.
  holdQuitUntilClosed(app, async () => {
    stopTray();
    await stopCore(core, child);
  });
  app.on('second-instance', () => void openWindow());
  // macOS: clicking the dock icon with no window open brings it back.
  app.on('activate', () => void openWindow());
  // With the window closed the watcher and the jobs go on, unless the user turned that off.
  app.on('window-all-closed', () => {
    if (!settings.keepRunning) app.quit();
  });
  await openWindow();
}

main().catch((err: unknown) => {
  dialog.showErrorBox('Tessera could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
