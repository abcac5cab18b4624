import { BackupFlow, downloadTarget, fileTarget, type BackupTarget } from '../../app/backup.svelte';
import { isoNow } from '../../app/time';
import { download } from '../widgets/download';

/** The File System Access API's save dialog, where the browser has it (Chromium). */
type SavePicker = (options: {
  suggestedName: string;
  types: { description: string; accept: Record<string, string[]> }[];
}) => Promise<{ createWritable(): Promise<FileSystemWritableFileStream> }>;

export function savePicker(): SavePicker | null {
  const picker = (window as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  return typeof picker === 'function' ? picker.bind(window) : null;
}

/**
 * Makes a backup of everything (or of one model): written straight to a file the person picks
 * when `toFile` (nothing is held in the page), or offered as a download.
 */
export async function saveBackup(
  flow: BackupFlow,
  toFile: boolean,
  model?: { id: string; name: string },
): Promise<void> {
  const now = isoNow();
  const name = BackupFlow.fileName(now, model?.name);
  let target: BackupTarget = downloadTarget();
  const picker = toFile ? savePicker() : null;
  if (picker) {
    try {
      const handle = await picker({
        suggestedName: name,
        types: [
          { description: 'Orpheus backup', accept: { 'application/x-orpheus': ['.orpheus'] } },
        ],
      });
      target = fileTarget(await handle.createWritable());
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError') return; // the person closed the dialog
      throw e;
    }
  }
  const result = await flow.export(target, now, model);
  if (result?.blob) download(result.blob, result.name);
}
