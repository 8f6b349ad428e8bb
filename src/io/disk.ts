import type { FileHandle } from 'node:fs/promises';
import { SerializationError } from '../errors.js';

/**
 * Reading a model folder from disk without leaving it: every file read (model.json, each
 * weights file) must really be inside the folder once symbolic links are resolved, and must be
 * a regular file (a FIFO or a device would hang or never end). It is read through the handle
 * whose size was checked, opened without following a link swapped in after the check.
 */

/** The model folder: the directory named, or the one holding the named model.json. */
export interface ModelFolder {
  /** As named by the caller (absolute). */
  dir: string;
  /** With symbolic links resolved. */
  realDir: string;
}

/** An open regular file inside the folder, and its size. */
export interface InsideFile {
  path: string;
  handle: FileHandle;
  size: number;
}

export async function modelFolder(dir: string): Promise<ModelFolder> {
  const fs = await import('node:fs/promises');
  return { dir, realDir: await fs.realpath(dir).catch(() => dir) };
}

/**
 * Opens `relative` (a path inside the folder) for reading. A SerializationError names the file
 * (`role`: 'model file', 'weights file'), what is wrong and the fix when it is missing, leads
 * outside the folder (saying where it points), or is not a regular file. `where` names the
 * model in messages; `missingFix` is the fix for a missing file.
 */
export async function openInside(
  folder: ModelFolder,
  relative: string,
  where: string,
  role: string,
  missingFix: string,
): Promise<InsideFile> {
  const fs = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  const path = await import('node:path');
  const named = path.resolve(folder.dir, relative);
  const cannot = (e: NodeJS.ErrnoException): SerializationError =>
    new SerializationError(
      e.code === 'ENOENT'
        ? `${where}: the ${role} ${named} is missing. Fix: ${missingFix}.`
        : `${where}: cannot read the ${role} ${named} (${e.code ?? e.message}). Fix: ${missingFix}.`,
    );
  const real = await fs.realpath(named).catch((e: NodeJS.ErrnoException) => {
    throw cannot(e);
  });
  const inside = path.relative(folder.realDir, real);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new SerializationError(
      `${where}: the ${role} ${named} leads to ${real}, outside the model folder ${folder.realDir} (through a symbolic link); refused, nothing was read from it. ` +
        'Fix: copy the real file into the folder (e.g. cp -L) instead of linking to it, or pass the folder that really holds the model.',
    );
  }
  const stat = await fs.stat(real).catch((e: NodeJS.ErrnoException) => {
    throw cannot(e);
  });
  const notFile = (kind: string): SerializationError =>
    new SerializationError(
      `${where}: the ${role} ${named} is ${kind}, not a regular file; refused. Fix: put the file that sn.io.save wrote there.`,
    );
  if (!stat.isFile())
    throw notFile(stat.isDirectory() ? 'a directory' : 'a device, FIFO or socket');
  // O_NOFOLLOW: a link swapped in since realpath is not followed; O_NONBLOCK: nor is a FIFO waited on.
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await fs.open(real, flags).catch((e: NodeJS.ErrnoException) => {
    throw cannot(e);
  });
  const opened = await handle.stat();
  if (!opened.isFile() || opened.ino !== stat.ino || opened.dev !== stat.dev) {
    await handle.close();
    throw notFile('replaced while being opened');
  }
  return { path: named, handle, size: opened.size };
}

/** Reads the whole of an open file (exactly the size checked), then closes it. */
export async function readAndClose(file: InsideFile, where: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await file.handle.readFile();
  } finally {
    await file.handle.close();
  }
  if (bytes.byteLength !== file.size) {
    throw new SerializationError(
      `${where}: ${file.path} changed while being read (${file.size} bytes when opened, ${bytes.byteLength} read). Fix: load again once nothing writes to it.`,
    );
  }
  return bytes;
}
