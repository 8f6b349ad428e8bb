import type * as NodeFs from 'node:fs';

/**
 * Atomic file writes: the data goes to a temporary file in the same directory, which is then
 * renamed over the target (atomic on POSIX), so a reader sees the old file or the new one,
 * never half of one. No static node: import, so that a browser bundle never touches them.
 */

/** `<pid>.<random>.tmp`: the end of a temporary name no other writer picks. */
function temporarySuffix(): string {
  return `${process.pid}.${Math.floor(Math.random() * 2 ** 32).toString(36)}.tmp`;
}

export interface WriteAtomicOptions {
  /** Runs after the temporary file is written and fsynced, before the rename (crash tests). */
  beforeRename?: (() => void) | undefined;
}

/**
 * Temporary file in the same directory, fsync, rename, fsync the directory: durable as well
 * as atomic, for model files and checkpoints.
 */
export async function writeFileAtomic(
  file: string,
  data: Uint8Array | string,
  options: WriteAtomicOptions = {},
): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  // `.name.<pid>.<random>.tmp`, hidden (checkpoint.ts removes leftovers of this form).
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${temporarySuffix()}`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  options.beforeRename?.();
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  try {
    const d = await fs.open(path.dirname(file), 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic.
  }
}

/**
 * The synchronous form, for files rewritten often (a monitor's log, a report): temporary file
 * and rename, without fsync. `fs` is node:fs, passed in by a caller that has loaded it.
 */
export function writeFileAtomicSync(
  fs: Pick<typeof NodeFs, 'writeFileSync' | 'renameSync' | 'rmSync'>,
  file: string,
  data: Uint8Array | string,
): void {
  const tmp = `${file}.${temporarySuffix()}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
