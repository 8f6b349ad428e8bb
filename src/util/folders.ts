import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { SerializationError } from '../errors.js';
import { checkOptionKeys, optionKeys } from '../validation.js';

/**
 * Output folders: made one level at a time, and probed with a test write before a long run
 * writes into them. No static node: import, so that a browser bundle never touches them.
 */

export interface FolderNodeApis {
  fs: Pick<typeof NodeFs, 'statSync' | 'mkdirSync'>;
  path: Pick<typeof NodePath, 'resolve' | 'dirname'>;
}

function cannot(what: string, dir: string, reason: string): SerializationError {
  return new SerializationError(
    `${what}: cannot write to the folder ${dir}: ${reason}. Fix: choose a folder you can write ` +
      'files in.',
  );
}

function reasonOf(e: unknown): string {
  const { code, message } = e as NodeJS.ErrnoException;
  return code === undefined ? message : `${code}, ${message.replace(/^\w+: /, '')}`;
}

/**
 * Creates `dir` and its missing parents, one mkdir per level, and returns its absolute path.
 * Not fs.mkdir's `recursive` option: Node's loops forever (100% CPU, never returning or
 * settling) when a folder that exists answers ENOENT to a new child, as /proc does and as a
 * dangling symbolic link does. Every failure is a SerializationError naming the folder.
 */
export function makeDirectorySync(node: FolderNodeApis, dir: string, what: string): string {
  const root = node.path.resolve(dir);
  const missing: string[] = [];
  for (let d = root; ;) {
    let stat: NodeFs.Stats | undefined;
    try {
      stat = node.fs.statSync(d, { throwIfNoEntry: false });
    } catch (e) {
      // ENOTDIR: a parent is a file, found as the walk goes up.
      if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw cannot(what, root, reasonOf(e));
    }
    if (stat?.isDirectory()) break;
    if (stat !== undefined) throw cannot(what, root, `${d} is a file, not a folder`);
    missing.push(d);
    const parent = node.path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const d of missing.reverse()) {
    try {
      node.fs.mkdirSync(d);
    } catch (e) {
      const made = (e as NodeJS.ErrnoException).code === 'EEXIST' && isDirectory(node, d);
      if (!made) {
        const dangling = (e as NodeJS.ErrnoException).code === 'EEXIST';
        throw cannot(
          what,
          root,
          dangling
            ? `${d} exists but is not a folder (a broken symbolic link?)`
            : `the file system refuses to create ${d} (${reasonOf(e)})`,
        );
      }
    }
  }
  return root;
}

function isDirectory(node: FolderNodeApis, d: string): boolean {
  try {
    return node.fs.statSync(d, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

export interface ProbeOptions {
  /** Milliseconds the test write may take before the folder counts as unwritable. Default 10 s. */
  timeoutMs?: number;
}
const PROBE_OPTION_KEYS = optionKeys<ProbeOptions>()({ timeoutMs: true });

/**
 * Makes `dir` (see makeDirectorySync), then writes and removes a small test file in it, so
 * that a run that will write there fails before it starts rather than after. A write that does
 * not finish within `timeoutMs` (a hung network mount) fails too. Returns the absolute path.
 */
export async function probeDirectory(
  dir: string,
  what: string,
  options: ProbeOptions = {},
): Promise<string> {
  checkOptionKeys(options, 'probeDirectory', PROBE_OPTION_KEYS);
  const fs = await import('node:fs');
  const path = await import('node:path');
  const root = makeDirectorySync({ fs, path }, dir, what);
  const probe = path.join(root, `.sinew-probe-${process.pid}-${Date.now().toString(36)}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(cannot(what, root, `a test write did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const write = (async () => {
    try {
      await fs.promises.writeFile(probe, 'sinew', { flag: 'wx' });
    } catch (e) {
      throw cannot(what, root, `a test write failed (${reasonOf(e)})`);
    }
    await fs.promises.rm(probe, { force: true });
  })();
  try {
    await Promise.race([write, timeout]);
  } finally {
    // A write that timed out and finishes later still removes its file.
    clearTimeout(timer);
  }
  return root;
}
