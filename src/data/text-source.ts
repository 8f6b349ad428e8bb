import { ConfigError, SinewError, describe } from '../errors.js';
import type { Stream } from './iterators.js';

/**
 * The text of a file (a path or a file:// URL, under Node.js) or of an http(s) URL (fetch,
 * in Node.js and browsers), read in chunks as the consumer pulls them: the whole text is
 * never in memory. Closing the stream closes the file or cancels the download.
 */
export async function* textChunks(source: string, where: string): Stream<string> {
  const decoder = new TextDecoder('utf-8');
  const bytes = /^https?:\/\//i.test(source) ? download(source, where) : readFile(source, where);
  for await (const chunk of bytes) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

async function* download(url: string, where: string): AsyncGenerator<Uint8Array, void, undefined> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new SinewError(`${where}: could not fetch ${url}: ${(e as Error).message}.`, {
      cause: e,
    });
  }
  if (!response.ok || response.body === null) {
    throw new SinewError(
      `${where}: fetching ${url} answered ${response.status} ${response.statusText}; expected ` +
        '200 with a CSV body. Check the URL.',
    );
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function* readFile(
  source: string,
  where: string,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (typeof process === 'undefined' || typeof process.getBuiltinModule !== 'function') {
    throw new ConfigError(
      `${where}: ${describe(source)} is a file path, which only Node.js can read; in a browser ` +
        'pass an http(s) URL.',
    );
  }
  const fs = process.getBuiltinModule('node:fs');
  const path = source.startsWith('file:')
    ? process.getBuiltinModule('node:url').fileURLToPath(source)
    : source;
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      throw new ConfigError(
        `${where}: cannot read ${describe(source)} (${code}); expected a readable CSV file ` +
          '(a path relative to the working directory, or absolute) or an http(s) URL.',
        { cause: e },
      );
    }
    throw e;
  } finally {
    stream.destroy();
  }
}
