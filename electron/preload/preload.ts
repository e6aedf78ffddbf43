import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { MENU_COMMANDS, type DamApi, type MenuCommand } from '../../shared/contract';

// Sandboxed preload: the renderer gets exactly this one object, nothing of Node or Electron.
const dam = {
  call: (name, input) => ipcRenderer.invoke('dam:call', name, input),
  on: (name, listener) => {
    const handler = (_e: IpcRendererEvent, event: string, payload: unknown) => {
      if (event === name) listener(payload as never);
    };
    ipcRenderer.on('dam:event', handler);
    return () => ipcRenderer.off('dam:event', handler);
  },
  mediaUrl: (kind, assetId, version) =>
    `dam-media://${kind}/${assetId}${version ? `?v=${encodeURIComponent(version)}` : ''}`,
  startDrag: (assetIds) => ipcRenderer.send('dam:start-drag', assetIds),
  onMenu: (listener) => {
    const handler = (_e: IpcRendererEvent, command: unknown) => {
      if (MENU_COMMANDS.includes(command as MenuCommand)) listener(command as MenuCommand);
    };
    ipcRenderer.on('dam:menu', handler);
    return () => ipcRenderer.off('dam:menu', handler);
  },
} satisfies DamApi;

contextBridge.exposeInMainWorld('dam', dam);
