/** writeReport: renders the report and writes `dir/index.html` atomically. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from './render.js';
import type { ReportInput } from './types.js';

/**
 * Writes `renderReport(input)` to `dir/index.html` (creating `dir`) through a temporary file
 * and a rename, so a reader never sees half a report. Returns the file's path.
 */
export function writeReport(dir: string, input: ReportInput): string {
  const html = renderReport(input);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'index.html');
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, html, 'utf8');
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  return path;
}
