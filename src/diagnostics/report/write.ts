/** writeReport: renders the report and writes `dir/index.html` atomically. */
import { writeFileAtomicSync } from '../../util/atomic.js';
import { makeDirectorySync } from '../../util/folders.js';
import { reportNodeApis } from './node.js';
import { renderReport } from './render.js';
import type { ReportInput } from './types.js';

/**
 * Writes `renderReport(input)` to `dir/index.html` (creating `dir`) through a temporary file
 * and a rename, so a reader never sees half a report. Returns the file's path.
 */
export function writeReport(dir: string, input: ReportInput): string {
  const { fs, path } = reportNodeApis('writeReport()');
  const html = renderReport(input);
  makeDirectorySync({ fs, path }, dir, 'writeReport()');
  const file = path.join(dir, 'index.html');
  writeFileAtomicSync(fs, file, html);
  return file;
}
