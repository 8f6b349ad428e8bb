import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as sn from 'sinew';
import { UsageError } from './args.js';

/**
 * Checks the lab's --out folder before any training: a report already there is kept unless
 * --force, and the folder must take a test file (made if needed, within a time limit), so a
 * folder that cannot be written fails now and not after the whole run.
 */
export async function prepareOut(out: string, force: boolean): Promise<void> {
  const report = join(out, 'index.html');
  if (!force && existsSync(report)) {
    throw new UsageError(
      `--out ${out} already holds a report (${report}); pass --force to replace it, or ` +
        'choose another folder with --out.',
    );
  }
  try {
    await sn.io.probeDirectory(out, '--out');
  } catch (e) {
    if (e instanceof sn.SinewError) throw new UsageError(e.message);
    throw e;
  }
}
