import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import * as sn from 'sinew';
import { UsageError } from './args.js';

/** What src/diagnostics/report/render.ts writes in every report's head. */
const REPORT_MARK = '<meta name="generator" content="sinew">';

/**
 * Checks the lab's --out folder before any training. An index.html already there is replaced
 * only if it is a sinew report (the lab's own, from an earlier run: the returned notice says
 * so) or with --force; any other file is kept and the lab stops. The folder must take a test
 * file (made if needed, within a time limit), so a folder that cannot be written fails now and
 * not after the whole run.
 */
export async function prepareOut(out: string, force: boolean): Promise<string | undefined> {
  const report = join(out, 'index.html');
  let notice: string | undefined;
  if (existsSync(report)) {
    if (!force && !isSinewReport(report)) {
      throw new UsageError(
        `--out ${out} already holds an index.html that is not a sinew report (${report}); pass ` +
          '--force to replace it, or choose another folder with --out.',
      );
    }
    notice = `Replacing the report already in ${out}.`;
  }
  try {
    await sn.io.probeDirectory(out, '--out');
  } catch (e) {
    if (e instanceof sn.SinewError) throw new UsageError(e.message);
    throw e;
  }
  return notice;
}

/** True when the file's head carries the mark of a report sinew wrote. */
function isSinewReport(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(4096);
      const n = readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, n).toString('utf8').includes(REPORT_MARK);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}
