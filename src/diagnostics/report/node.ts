import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { SinewError } from '../../errors.js';

/**
 * The Node modules the report needs (fs, path, module), taken synchronously through
 * process.getBuiltinModule rather than imported, so that a browser bundle of sinew never loads
 * them. The report reads Chart.js from node_modules and encodes PNGs with pngjs: Node only.
 */
export interface ReportNodeApis {
  fs: typeof NodeFs;
  path: typeof NodePath;
  /** `require` relative to this folder (for chart.js and pngjs). */
  require: NodeJS.Require;
}

export function reportNodeApis(what: string): ReportNodeApis {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') {
    throw new SinewError(
      `${what} works under Node.js (>= 20.16) only: it reads Chart.js from node_modules and ` +
        'writes files. In a browser, log the data (sn.diagnostics.monitor) and render it elsewhere.',
    );
  }
  return {
    fs: process.getBuiltinModule('node:fs'),
    path: process.getBuiltinModule('node:path'),
    require: process.getBuiltinModule('node:module').createRequire(import.meta.url),
  };
}
