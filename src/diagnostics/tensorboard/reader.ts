import { checkBoolean, checkOptionKeys, optionKeys, checkString } from '../../validation.js';
import { decodeEvent, type TensorBoardEvent } from './events.js';
import { loadNode } from './node.js';
import { parseRecords } from './records.js';

export interface ReadEventFileOptions {
  /**
   * Return the complete records before a truncated last one (what a crash mid-write leaves,
   * and what TensorBoard tolerates) instead of throwing. Default false.
   */
  allowTruncatedTail?: boolean;
}
const READ_EVENT_FILE_OPTION_KEYS = optionKeys<ReadEventFileOptions>()({
  allowTruncatedTail: true,
});

/**
 * The Events of a TensorBoard event file (Node.js only), in file order. Both CRCs of every
 * record are checked: a mismatch, a truncated record or a malformed message throws a
 * SinewError naming the file and the byte offset. Reads files written by sinew and by
 * TensorFlow (scalars stored as tensors come back in `tensor`).
 */
export async function readEventFile(
  path: string,
  options: ReadEventFileOptions = {},
): Promise<TensorBoardEvent[]> {
  const owner = 'readEventFile';
  checkString(path, owner, 'path', { example: `${owner}('logs/train/events.out.tfevents...')` });
  checkOptionKeys(options, owner, READ_EVENT_FILE_OPTION_KEYS);
  const { fs } = await loadNode(owner);
  return parseEventFile(fs.readFileSync(path), path, options);
}

/** As readEventFile, on the bytes of an event file; `what` names it in errors. */
export function parseEventFile(
  bytes: Uint8Array,
  what = 'event file',
  options: ReadEventFileOptions = {},
): TensorBoardEvent[] {
  const o = checkOptionKeys(options, 'readEventFile', READ_EVENT_FILE_OPTION_KEYS);
  const allowTruncatedTail = checkBoolean(
    o.allowTruncatedTail,
    'readEventFile',
    'allowTruncatedTail',
    false,
  );
  return parseRecords(bytes, what, { allowTruncatedTail }).map((record, i) =>
    decodeEvent(record, `${what}, record ${i}`),
  );
}
