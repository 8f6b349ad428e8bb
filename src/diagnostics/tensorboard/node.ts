import type * as NodeFs from 'node:fs';
import type * as NodeOs from 'node:os';
import type * as NodePath from 'node:path';
import { ConfigError } from '../../errors.js';

/** The Node.js modules event files need, loaded on first use so browser bundles still load. */
export interface NodeModules {
  fs: typeof NodeFs;
  os: typeof NodeOs;
  path: typeof NodePath;
}

export async function loadNode(what: string): Promise<NodeModules> {
  try {
    const [fs, os, path] = await Promise.all([
      import('node:fs'),
      import('node:os'),
      import('node:path'),
    ]);
    return { fs, os, path };
  } catch (cause) {
    throw new ConfigError(
      `${what}: event files need Node.js (node:fs could not be loaded); in a browser, ` +
        `watch training with sn.callbacks.lambdaCallback instead.`,
      { cause },
    );
  }
}
