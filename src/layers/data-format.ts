import { ConfigError, describe } from '../errors.js';
import type { DataFormat } from '../ops/conv-geometry.js';

/**
 * The `dataFormat` option of the image and sequence layers, read and written in one place.
 * Options use TensorFlow.js's spelling ('channelsLast', 'channelsFirst'); configs are written
 * in Keras's ('channels_last', 'channels_first'), and both spellings are read, so files from
 * Keras and TensorFlow.js load.
 */

/** 'channelsLast' (the default, also for undefined) or 'channelsFirst', from either spelling. */
export function readDataFormat(value: unknown, where: string): DataFormat {
  if (value === undefined || value === 'channelsLast' || value === 'channels_last') {
    return 'channelsLast';
  }
  if (value === 'channelsFirst' || value === 'channels_first') return 'channelsFirst';
  throw new ConfigError(
    `${where}: dataFormat must be 'channelsLast' or 'channelsFirst' (channels on the last ` +
      `axis or right after the batch axis), received ${describe(value)}.`,
  );
}

/** The value Keras and TensorFlow.js write in a config: 'channels_last' or 'channels_first'. */
export function writeDataFormat(format: DataFormat): 'channels_last' | 'channels_first' {
  return format === 'channelsLast' ? 'channels_last' : 'channels_first';
}
