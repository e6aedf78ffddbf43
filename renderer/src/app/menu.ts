import { api, call, errorMessage } from '../api/client';
import { useUi } from '../stores/ui';
import { addRoot } from './actions';

/** File → Add Folder…: the OS folder dialog, then the folder is added and catalogued as from the sidebar. */
export async function addFolderFromMenu(): Promise<void> {
  const notify = useUi.getState().notify;
  try {
    const folder = await call('desktop.pickFolder', {});
    if (!folder) return;
    const err = await addRoot(folder);
    if (err) notify(`Could not add the folder: ${err}`, { tone: 'error' });
  } catch (err) {
    notify(`Could not add a folder: ${errorMessage(err)}`, { tone: 'error' });
  }
}

/** Follow the desktop app's menu (a browser has none: this does nothing there). */
export function listenToMenu(): () => void {
  return api.onMenu!((command) => {
    if (command === 'add-folder') void addFolderFromMenu();
  });
}
