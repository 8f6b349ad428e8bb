import { makeDirectorySync } from '../../util/folders.js';
import { encodeEvent, FILE_VERSION, type SummaryValue } from './events.js';
import type { NodeModules } from './node.js';
import { frameRecord } from './records.js';

/**
 * Appends Events to one event file, `<dir>/events.out.tfevents.<seconds>.<hostname>` (the name
 * TensorBoard looks for; `.1`, `.2`, ... is added if that file already exists, for two writers
 * started in the same second). The directory is created (recursively) and the file starts with
 * the `file_version: "brain.Event:2"` event.
 *
 * Each event is framed as one TFRecord and written with a single appendFileSync, so complete
 * records are never interleaved. A crash in the middle of an append can still leave a truncated
 * last record: TensorBoard's readers treat a truncated tail as "not written yet" and read every
 * record before it, and `readEventFile(path, { allowTruncatedTail: true })` does the same.
 */
export class EventFileWriter {
  readonly path: string;
  readonly #node: NodeModules;

  constructor(node: NodeModules, dir: string, now: number = Date.now()) {
    this.#node = node;
    makeDirectorySync(node, dir, 'tensorBoard');
    const seconds = Math.floor(now / 1000);
    const base = node.path.join(dir, `events.out.tfevents.${seconds}.${node.os.hostname()}`);
    let path = base;
    for (let n = 1; node.fs.existsSync(path); n++) path = `${base}.${n}`;
    this.path = path;
    // The first event names the format version; 'wx' refuses to reuse a file created meanwhile.
    node.fs.writeFileSync(
      path,
      frameRecord(encodeEvent({ wallTime: now / 1000, step: 0, fileVersion: FILE_VERSION })),
      { flag: 'wx' },
    );
  }

  /** Appends one Event holding `values` at `step`, stamped with the current time. */
  write(step: number, values: SummaryValue[]): void {
    if (values.length === 0) return;
    const event = encodeEvent({ wallTime: Date.now() / 1000, step, summary: values });
    this.#node.fs.appendFileSync(this.path, frameRecord(event));
  }
}
