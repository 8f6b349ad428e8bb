import type * as NodeFs from 'node:fs';
import { describe, SerializationError } from '../errors.js';
import { checkBoolean, checkNumber, checkOptionKeys, optionKeys } from '../validation.js';
import type { Model } from '../models/model.js';
import type { JsonValue } from '../serialization.js';
import {
  FROM_MEMORY_OPTION_KEY_SET,
  TO_MEMORY_OPTION_KEY_SET,
  fromMemory,
  toMemory,
  type FromMemoryOptions,
  type ModelArtifacts,
  type ToMemoryOptions,
} from './artifacts.js';
import { writeFileAtomic } from '../util/atomic.js';
import { browserScheme, loadFromBrowser, saveToBrowser } from './browser-storage.js';
import {
  modelFolder,
  openInside,
  readAndClose,
  type InsideFile,
  type ModelFolder,
} from './disk.js';
import { makeDirectorySync } from '../util/folders.js';
import { specBytes, type WeightSpec, type WeightsManifestEntry } from './weights.js';

/**
 * Saving and loading the TensorFlow.js layers format: a directory with `model.json`
 * (`format`, `modelTopology`, `weightsManifest`, optional `trainingConfig`) and
 * `weights.bin`. In Node, a directory path or 'file://dir'; in the browser, load from an
 * http(s) URL of model.json and save with 'downloads://name'.
 */

export interface SaveOptions extends ToMemoryOptions {
  /**
   * Replace the model.json and weights.bin of a model already saved in the folder (default
   * true, as Keras's save and TensorFlow.js); false refuses with a SerializationError.
   */
  overwrite?: boolean;
}
const SAVE_OPTION_KEYS = optionKeys<SaveOptions>()({
  ...TO_MEMORY_OPTION_KEY_SET,
  overwrite: true,
});

export interface LoadOptions extends FromMemoryOptions {
  /** Largest weight data accepted, in bytes (default 2 GiB); checked before reading or allocating. */
  maxWeightBytes?: number;
}
const LOAD_OPTION_KEYS = optionKeys<LoadOptions>()({
  ...FROM_MEMORY_OPTION_KEY_SET,
  maxWeightBytes: true,
});

export interface SaveResult {
  /** The files written (or downloaded). */
  files: string[];
  /** What TensorFlow.js will refuse (also sent to onWarning). */
  warnings: string[];
}

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';
const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/** The model.json object for artifacts whose weights sit in `weightsFile`. */
export function modelJson(
  artifacts: ModelArtifacts,
  weightsFile: string,
): { [key: string]: JsonValue } {
  const json: { [key: string]: JsonValue } = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? null,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
  };
  if (artifacts.trainingConfig !== undefined) json.trainingConfig = artifacts.trainingConfig;
  json.weightsManifest = [
    { paths: [weightsFile], weights: (artifacts.weightSpecs ?? []) as unknown as JsonValue },
  ];
  return json;
}

/** Writes the model: `await sn.io.save(model, 'file://dir')`, a directory, or 'downloads://name'. */
export async function save(
  model: Model,
  destination: string,
  options: SaveOptions = {},
): Promise<SaveResult> {
  if (typeof destination !== 'string' || destination === '') {
    throw new SerializationError(
      `save: expected a directory, 'file://dir' or 'downloads://name', received ${describe(destination)}.`,
    );
  }
  checkOptionKeys(options, 'save', SAVE_OPTION_KEYS);
  const { overwrite, ...memoryOptions } = options;
  const replace = checkBoolean(overwrite, 'save', 'overwrite', true);
  const warnings: string[] = [];
  const onWarning = options.onWarning ?? ((m: string) => console.warn(`sinew: ${m}`));
  const artifacts = toMemory(model, {
    ...memoryOptions,
    onWarning: (m) => {
      warnings.push(m);
      onWarning(m);
    },
  });
  if (browserScheme(destination)) {
    return { files: await saveToBrowser(destination, artifacts), warnings };
  }
  if (destination.startsWith('downloads://')) {
    const name = destination.slice('downloads://'.length) || 'model';
    return { files: download(artifacts, name), warnings };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(destination) && !destination.startsWith('file://')) {
    throw new SerializationError(
      `save: cannot save to ${describe(destination)}; use a directory, 'file://dir' or (in a browser) 'downloads://name'.`,
    );
  }
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = makeDirectorySync({ fs, path }, destination.replace(/^file:\/\//, ''), 'save');
  const weightsPath = path.join(dir, WEIGHTS_BIN);
  const jsonPath = path.join(dir, MODEL_JSON);
  if (!replace) refuseOverwrite(fs, [jsonPath, weightsPath]);
  // Weights first: a model.json on disk always has its weights.
  await writeFileAtomic(weightsPath, new Uint8Array(artifacts.weightData ?? new ArrayBuffer(0)));
  await writeFileAtomic(jsonPath, JSON.stringify(modelJson(artifacts, WEIGHTS_BIN)));
  return { files: [jsonPath, weightsPath], warnings };
}

/** save with overwrite: false: the files it would replace must not exist. */
function refuseOverwrite(fs: Pick<typeof NodeFs, 'existsSync'>, files: readonly string[]): void {
  const existing = files.filter((f) => fs.existsSync(f));
  if (existing.length > 0) {
    throw new SerializationError(
      `save: ${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''} and ` +
        'overwrite is false. Fix: save to another folder, or pass overwrite: true to replace them.',
    );
  }
}

function download(artifacts: ModelArtifacts, name: string): string[] {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc) {
    throw new SerializationError(
      `save: 'downloads://${name}' works in a browser only; in Node pass a directory.`,
    );
  }
  const files: [string, BlobPart, string][] = [
    [
      `${name}.json`,
      JSON.stringify(modelJson(artifacts, `${name}.weights.bin`)),
      'application/json',
    ],
    [`${name}.weights.bin`, artifacts.weightData ?? new ArrayBuffer(0), 'application/octet-stream'],
  ];
  for (const [file, content, type] of files) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const a = doc.createElement('a');
    a.download = file;
    a.href = url;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return files.map(([f]) => f);
}

/**
 * Reads a model: `await sn.io.load('file://dir')`, a directory, a path to model.json, or (in
 * a browser or Node with fetch) an http(s) URL of model.json. Everything is checked before the
 * model is returned: a bad file throws a SerializationError naming the file, the problem and
 * the fix.
 */
export async function load(source: string, options: LoadOptions = {}): Promise<Model> {
  if (typeof source !== 'string' || source === '') {
    throw new SerializationError(
      `load: expected a directory, a model.json path or a URL, received ${describe(source)}.`,
    );
  }
  checkOptionKeys(options, 'load', LOAD_OPTION_KEYS);
  // The weight limit is load's own; fromMemory takes the rest.
  const { maxWeightBytes, ...rebuild } = options;
  const maxBytes = checkNumber(maxWeightBytes, 'load', 'maxWeightBytes', {
    min: 0,
    fallback: DEFAULT_MAX_BYTES,
    example: 'maxWeightBytes: 4 * 1024 ** 3',
  });
  if (browserScheme(source)) {
    return fromMemory(await loadFromBrowser(source, maxBytes), { ...rebuild, where: source });
  }
  const { json, where, readWeights } = /^https?:\/\//i.test(source)
    ? await fromUrl(source)
    : await fromDisk(source);
  const manifest = checkManifest(json, where, maxBytes);
  const weightData = await readWeights(manifest);
  const artifacts: ModelArtifacts = {
    modelTopology: json.modelTopology as JsonValue,
    ...(typeof json.format === 'string' ? { format: json.format } : {}),
    ...(typeof json.generatedBy === 'string' ? { generatedBy: json.generatedBy } : {}),
    ...(json.trainingConfig != null ? { trainingConfig: json.trainingConfig as JsonValue } : {}),
    weightSpecs: manifest.flatMap((g) => g.weights),
    weightData,
  };
  return fromMemory(artifacts, { ...rebuild, where });
}

type ModelJson = { [key: string]: unknown };

interface Source {
  json: ModelJson;
  where: string;
  readWeights: (manifest: WeightsManifestEntry[]) => Promise<ArrayBuffer>;
}

/** Parses model.json text; a syntax error names its line and column. */
export function parseModelJson(text: string, where: string): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    let at = '';
    if (lc) at = ` at line ${lc[1]}, column ${lc[2]}`;
    else if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      at = ` at line ${line}, column ${column}`;
    }
    throw new SerializationError(
      `${where}: malformed JSON${at} (${message}). Fix: repair the file or save the model again.`,
    );
  }
  if (
    typeof json !== 'object' ||
    json === null ||
    Array.isArray(json) ||
    !('modelTopology' in json)
  ) {
    throw new SerializationError(
      `${where}: not a TensorFlow.js layers model.json (no modelTopology). Fix: pass the model.json that sn.io.save or tf.LayersModel.save wrote.`,
    );
  }
  return json as ModelJson;
}

/** Checks weightsManifest: its shape, its paths (inside the model directory) and its size. */
function checkManifest(json: ModelJson, where: string, maxBytes: number): WeightsManifestEntry[] {
  const raw = json.weightsManifest ?? [];
  if (!Array.isArray(raw)) {
    throw new SerializationError(
      `${where}: weightsManifest must be a list of { paths, weights }. Fix: save the model again.`,
    );
  }
  let total = 0;
  const manifest = raw.map((g: unknown) => {
    const group = g as Partial<WeightsManifestEntry>;
    if (
      typeof group !== 'object' ||
      group === null ||
      !Array.isArray(group.paths) ||
      !Array.isArray(group.weights)
    ) {
      throw new SerializationError(
        `${where}: each weightsManifest entry must be { paths: [...], weights: [...] }, received ${describe(g)}. Fix: save the model again.`,
      );
    }
    for (const p of group.paths) checkRelativePath(p, where);
    for (const spec of group.weights) total += specBytes(spec, where);
    return group as WeightsManifestEntry;
  });
  if (total > maxBytes) {
    throw new SerializationError(
      `${where}: weightsManifest claims ${total} bytes of weights (${(total / 1024 ** 3).toFixed(2)} GiB), more than the limit of ${maxBytes} bytes; nothing was read. ` +
        'Fix: if the model really is that large, pass load(path, { maxWeightBytes }) with a larger limit.',
    );
  }
  return manifest;
}

/** A weights path must be a plain relative path that stays inside the model's directory. */
function checkRelativePath(p: unknown, where: string): void {
  const bad =
    typeof p !== 'string' ||
    p === '' ||
    p.includes('\0') ||
    p.includes('\\') ||
    p.startsWith('/') ||
    /^[a-z][a-z0-9+.-]*:/i.test(p) ||
    p.split('/').some((part) => part === '..');
  if (bad) {
    throw new SerializationError(
      `${where}: weightsManifest path ${describe(p)} points outside the model directory; refused. ` +
        "Fix: weights files must sit beside model.json and be named by plain relative paths such as 'weights.bin'.",
    );
  }
}

/** Reads model.json (a directory or the file's path) from inside its folder. */
export async function readModelFile(
  source: string,
): Promise<{ json: ModelJson; target: string; folder: ModelFolder }> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  let target = path.resolve(source.replace(/^file:\/\//, ''));
  const stat = await fs.stat(target).catch(() => undefined);
  if (stat?.isDirectory()) target = path.join(target, MODEL_JSON);
  const folder = await modelFolder(path.dirname(target));
  const file = await openInside(
    folder,
    path.basename(target),
    target,
    'model file',
    'pass the directory that sn.io.save wrote, or the path of its model.json',
  );
  const text = (await readAndClose(file, target)).toString('utf8');
  return { json: parseModelJson(text, target), target, folder };
}

async function fromDisk(source: string): Promise<Source> {
  const { json, target, folder } = await readModelFile(source);
  return {
    json,
    where: target,
    readWeights: async (manifest) => {
      const chunks: Uint8Array[] = [];
      for (const group of manifest) {
        const expected = group.weights.reduce((n, s) => n + specBytes(s, target), 0);
        const files: InsideFile[] = [];
        try {
          for (const p of group.paths) {
            files.push(
              await openInside(
                folder,
                p,
                target,
                'weights file',
                'copy it beside model.json (sn.io.save writes both), or save the model again',
              ),
            );
          }
          const found = files.reduce((n, f) => n + f.size, 0);
          if (found !== expected) throw sizeMismatch(target, files, group, expected, found);
          while (files.length > 0) chunks.push(await readAndClose(files.shift()!, target));
        } finally {
          await Promise.all(files.map((f) => f.handle.close()));
        }
      }
      return concat(chunks);
    },
  };
}

function sizeMismatch(
  target: string,
  files: readonly InsideFile[],
  group: WeightsManifestEntry,
  expected: number,
  found: number,
): SerializationError {
  const names = files.map((f) => f.path).join(', ');
  const what = found < expected ? 'is truncated' : 'has extra bytes';
  return new SerializationError(
    `${target}: the weights file ${names} ${what}: expected ${expected} bytes for ${group.weights.length} weights, found ${found} bytes. ` +
      'Fix: the weights do not belong to this model.json or the copy was cut off; copy or save the model again.',
  );
}

async function fromUrl(source: string): Promise<Source> {
  const response = await fetch(source).catch((e: Error) => {
    throw new SerializationError(
      `${source}: cannot fetch the model (${e.message}). Fix: check the URL and the server.`,
    );
  });
  if (!response.ok) {
    throw new SerializationError(
      `${source}: the server answered ${response.status} ${response.statusText}. Fix: check the URL of model.json.`,
    );
  }
  const json = parseModelJson(await response.text(), source);
  const base = new URL('.', source);
  return {
    json,
    where: source,
    readWeights: async (manifest) => {
      const chunks: Uint8Array[] = [];
      for (const group of manifest) {
        const expected = group.weights.reduce((n, s) => n + specBytes(s, source), 0);
        const parts: Uint8Array[] = [];
        for (const p of group.paths) {
          const url = new URL(p, base);
          if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
            throw new SerializationError(
              `${source}: weights path '${p}' is outside the model directory; refused.`,
            );
          }
          const r = await fetch(url);
          if (!r.ok) {
            throw new SerializationError(
              `${source}: the weights file ${url.href} is missing (${r.status}). Fix: upload it beside model.json.`,
            );
          }
          parts.push(new Uint8Array(await r.arrayBuffer()));
        }
        const found = parts.reduce((n, p) => n + p.byteLength, 0);
        if (found !== expected) {
          throw new SerializationError(
            `${source}: the weights are ${found < expected ? 'truncated' : 'longer than the manifest says'}: expected ${expected} bytes, found ${found} bytes. Fix: upload the weights that belong to this model.json.`,
          );
        }
        chunks.push(...parts);
      }
      return concat(chunks);
    },
  };
}

function concat(chunks: readonly Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out.buffer;
}

export type { WeightSpec };
