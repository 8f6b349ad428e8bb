import { describe, SerializationError } from '../errors.js';
import type { JsonValue } from '../serialization.js';
import type { ModelArtifacts } from './artifacts.js';
import { specBytes, type WeightSpec } from './weights.js';

/**
 * Models kept in the browser, as TensorFlow.js keeps them, so that a model saved by either
 * library in a page loads in the other (same origin):
 * - 'indexeddb://name': database 'tensorflowjs' (version 1), object stores 'models_store'
 *   ({ modelPath, modelArtifacts, modelArtifactsInfo }) and 'model_info_store'
 *   ({ modelPath, modelArtifactsInfo }), both keyed by modelPath. sinew writes both records in
 *   one transaction, so a failed save leaves the old model (or none), never half of one.
 * - 'localstorage://name': keys 'tensorflowjs_models/<name>/' + info, model_topology,
 *   weight_specs, weight_data (base64) and model_metadata (format, generatedBy, convertedBy,
 *   trainingConfig). A failed save (quota) removes the keys written so far.
 * Loading checks every entry before a model is built: a missing or damaged entry, weights
 * larger than the limit, truncated or over-long weights are SerializationErrors.
 * `listModels()` and `removeModel(url)` are TensorFlow.js's model management.
 */

/** What TensorFlow.js records beside each stored model (tf.io.ModelArtifactsInfo). */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes: number;
  weightSpecsBytes: number;
  weightDataBytes: number;
}

const IDB = 'indexeddb://';
const LS = 'localstorage://';
const DATABASE = 'tensorflowjs';
const MODEL_STORE = 'models_store';
const INFO_STORE = 'model_info_store';
const LS_PREFIX = 'tensorflowjs_models/';
const LS_PARTS = ['info', 'model_topology', 'weight_specs', 'weight_data', 'model_metadata'];

type Scheme = typeof IDB | typeof LS;

/** The scheme of a browser-storage URL, or undefined for any other destination. */
export function browserScheme(url: string): Scheme | undefined {
  return url.startsWith(IDB) ? IDB : url.startsWith(LS) ? LS : undefined;
}

/** The model's name in its store; an empty one is an error. */
function modelPath(url: string, scheme: Scheme): string {
  const name = url.slice(scheme.length);
  if (name === '') {
    throw new SerializationError(
      `${describe(url)} names no model. Fix: add a name, e.g. '${scheme}my-model'.`,
    );
  }
  return name;
}

function indexedDb(url: string): IDBFactory {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) {
    throw new SerializationError(
      `${url}: IndexedDB is not available here; 'indexeddb://' works in a browser only. Fix: in Node pass a directory.`,
    );
  }
  return factory;
}

function localStore(url: string): Storage {
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  if (!storage) {
    throw new SerializationError(
      `${url}: localStorage is not available here; 'localstorage://' works in a browser only. Fix: in Node pass a directory.`,
    );
  }
  return storage;
}

function infoOf(artifacts: ModelArtifacts): ModelArtifactsInfo {
  const bytes = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: bytes(artifacts.modelTopology),
    weightSpecsBytes: bytes(artifacts.weightSpecs ?? []),
    weightDataBytes: artifacts.weightData?.byteLength ?? 0,
  };
}

/** The fields TensorFlow.js keeps as model metadata (localStorage) or in the artifacts. */
function metadataOf(artifacts: ModelArtifacts): { [key: string]: JsonValue } {
  return {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? null,
    convertedBy: artifacts.convertedBy ?? null,
    ...(artifacts.trainingConfig !== undefined ? { trainingConfig: artifacts.trainingConfig } : {}),
  };
}

/** An IndexedDB request as a promise; its error becomes a SerializationError naming `url`. */
function request<T>(req: IDBRequest<T>, url: string, doing: string): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () =>
      reject(
        new SerializationError(
          `${url}: ${doing} failed (${req.error?.message ?? 'unknown error'}).`,
        ),
      );
  });
}

async function openDatabase(url: string): Promise<IDBDatabase> {
  const open = indexedDb(url).open(DATABASE, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(MODEL_STORE, { keyPath: 'modelPath' });
    open.result.createObjectStore(INFO_STORE, { keyPath: 'modelPath' });
  };
  return request(open, url, `opening IndexedDB database '${DATABASE}'`);
}

/** Runs `work` in one transaction over both stores and waits until it is committed. */
async function transact<T>(
  url: string,
  mode: IDBTransactionMode,
  work: (models: IDBObjectStore, infos: IDBObjectStore) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(url);
  try {
    const tx = db.transaction([MODEL_STORE, INFO_STORE], mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () =>
        reject(
          new SerializationError(
            `${url}: the IndexedDB transaction was aborted (${tx.error?.message ?? 'no reason given'}); nothing was changed.`,
          ),
        );
    });
    const result = await work(tx.objectStore(MODEL_STORE), tx.objectStore(INFO_STORE)).catch(
      (e: unknown) => {
        done.catch(() => undefined); // the work's own error is the one to report
        throw e;
      },
    );
    await done;
    return result;
  } finally {
    db.close();
  }
}

/** Saves the artifacts at an 'indexeddb://' or 'localstorage://' URL; returns [url]. */
export async function saveToBrowser(url: string, artifacts: ModelArtifacts): Promise<string[]> {
  const scheme = browserScheme(url)!;
  const name = modelPath(url, scheme);
  const info = infoOf(artifacts);
  const weightData = artifacts.weightData ?? new ArrayBuffer(0);
  if (scheme === IDB) {
    const modelArtifacts = {
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightSpecs ?? [],
      weightData,
      ...metadataOf(artifacts),
    };
    await transact(url, 'readwrite', async (models, infos) => {
      models.put({ modelPath: name, modelArtifacts, modelArtifactsInfo: info });
      infos.put({ modelPath: name, modelArtifactsInfo: info });
    });
    return [url];
  }
  const storage = localStore(url);
  const values = [
    JSON.stringify(info),
    JSON.stringify(artifacts.modelTopology),
    JSON.stringify(artifacts.weightSpecs ?? []),
    toBase64(new Uint8Array(weightData)),
    JSON.stringify(metadataOf(artifacts)),
  ];
  try {
    LS_PARTS.forEach((part, i) => storage.setItem(lsKey(name, part), values[i]!));
  } catch (e) {
    for (const part of LS_PARTS) storage.removeItem(lsKey(name, part));
    throw new SerializationError(
      `${url}: localStorage refused the model (${(e as Error).message}), most likely its quota (about 5 MB per origin): ` +
        `topology ${info.modelTopologyBytes} bytes, weight specs ${info.weightSpecsBytes} bytes, weights ${info.weightDataBytes} bytes (stored as base64, 4/3 as many). ` +
        "Fix: save a model this large to 'indexeddb://name'.",
      { cause: e },
    );
  }
  return [url];
}

function lsKey(name: string, part: string): string {
  return `${LS_PREFIX}${name}/${part}`;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** Reads the model at an 'indexeddb://' or 'localstorage://' URL, checking every entry. */
export async function loadFromBrowser(url: string, maxBytes: number): Promise<ModelArtifacts> {
  const scheme = browserScheme(url)!;
  const name = modelPath(url, scheme);
  return scheme === IDB
    ? fromIndexedDb(url, name, maxBytes)
    : fromLocalStorage(url, name, maxBytes);
}

async function fromIndexedDb(url: string, name: string, maxBytes: number): Promise<ModelArtifacts> {
  const record = await transact(url, 'readonly', (models) =>
    request(models.get(name) as IDBRequest<unknown>, url, 'reading the model'),
  );
  if (record === undefined) throw missing(url, 'IndexedDB');
  const stored = (record as { modelArtifacts?: unknown }).modelArtifacts;
  if (typeof stored !== 'object' || stored === null) {
    throw damaged(url, `its record has no modelArtifacts (received ${describe(stored)})`);
  }
  const a = stored as { [key: string]: unknown };
  const specs = checkSpecs(a.weightSpecs, url, maxBytes);
  const data = a.weightData ?? new ArrayBuffer(0);
  if (!(data instanceof ArrayBuffer)) {
    throw damaged(url, `its weightData is ${describe(data)}, not an ArrayBuffer`);
  }
  return artifactsOf(url, a.modelTopology, specs, data, a);
}

function fromLocalStorage(url: string, name: string, maxBytes: number): ModelArtifacts {
  const storage = localStore(url);
  const read = (part: string): string => {
    const value = storage.getItem(lsKey(name, part));
    if (value === null) {
      if (part === 'info') throw missing(url, 'localStorage');
      throw damaged(url, `the key '${lsKey(name, part)}' is missing`);
    }
    return value;
  };
  const json = (part: string): unknown => {
    try {
      return JSON.parse(read(part)) as unknown;
    } catch (e) {
      if (e instanceof SerializationError) throw e;
      throw damaged(url, `the key '${lsKey(name, part)}' is not JSON (${(e as Error).message})`);
    }
  };
  const info = json('info') as Partial<ModelArtifactsInfo> | null;
  if (info?.modelTopologyType !== 'JSON') {
    throw damaged(
      url,
      `its info says modelTopologyType ${describe(info?.modelTopologyType)}, expected 'JSON'`,
    );
  }
  const topology = json('model_topology');
  const specs = checkSpecs(json('weight_specs'), url, maxBytes);
  const stored = storage.getItem(lsKey(name, 'model_metadata'));
  const metadata = stored === null ? {} : (json('model_metadata') as { [key: string]: unknown });
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(read('weight_data')), (c) => c.charCodeAt(0));
  } catch (e) {
    if (e instanceof SerializationError) throw e;
    throw damaged(url, `the key '${lsKey(name, 'weight_data')}' is not base64`);
  }
  return artifactsOf(url, topology, specs, bytes.buffer as ArrayBuffer, metadata ?? {});
}

/** The weight specs, checked, and their total size against the limit before any data is used. */
function checkSpecs(raw: unknown, url: string, maxBytes: number): WeightSpec[] {
  if (!Array.isArray(raw)) throw damaged(url, `its weightSpecs are ${describe(raw)}, not a list`);
  const total = raw.reduce((n: number, spec) => n + specBytes(spec, url), 0);
  if (total > maxBytes) {
    throw new SerializationError(
      `${url}: weightSpecs claim ${total} bytes of weights, more than the limit of ${maxBytes} bytes; nothing was decoded. ` +
        'Fix: if the model really is that large, pass load(url, { maxWeightBytes }) with a larger limit.',
    );
  }
  return raw as WeightSpec[];
}

function artifactsOf(
  url: string,
  topology: unknown,
  specs: WeightSpec[],
  data: ArrayBuffer,
  metadata: { [key: string]: unknown },
): ModelArtifacts {
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) {
    throw damaged(url, `its modelTopology is ${describe(topology)}, not a JSON object`);
  }
  const expected = specs.reduce((n, s) => n + specBytes(s, url), 0);
  if (data.byteLength !== expected) {
    const what = data.byteLength < expected ? 'truncated' : 'longer than its weightSpecs say';
    throw damaged(
      url,
      `its weight data is ${what}: expected ${expected} bytes, found ${data.byteLength}`,
    );
  }
  const { format, generatedBy, convertedBy, trainingConfig } = metadata;
  return {
    modelTopology: topology as JsonValue,
    weightSpecs: specs,
    weightData: data,
    ...(typeof format === 'string' ? { format } : {}),
    ...(typeof generatedBy === 'string' ? { generatedBy } : {}),
    ...(trainingConfig != null ? { trainingConfig: trainingConfig as JsonValue } : {}),
    ...(typeof convertedBy === 'string' ? { convertedBy } : {}),
  };
}

function missing(url: string, store: string): SerializationError {
  return new SerializationError(
    `${url}: no model of that name in this origin's ${store}. Fix: save it first with sn.io.save(model, '${url}'), or check the name with sn.io.listModels().`,
  );
}

function damaged(url: string, problem: string): SerializationError {
  return new SerializationError(
    `${url}: the stored model is damaged: ${problem}. Fix: remove it (sn.io.removeModel('${url}')) and save the model again.`,
  );
}

/**
 * Every model stored in this origin's IndexedDB and localStorage, by URL, with what
 * TensorFlow.js records beside it (as tf.io.listModels()). Browser only.
 */
export async function listModels(): Promise<{ [url: string]: ModelArtifactsInfo }> {
  const g = globalThis as { indexedDB?: IDBFactory; localStorage?: Storage };
  if (!g.indexedDB && !g.localStorage) {
    indexedDb('listModels()'); // throws: browser only
  }
  const out: { [url: string]: ModelArtifactsInfo } = {};
  if (g.indexedDB) {
    const infos = await transact('listModels()', 'readonly', (_models, store) =>
      request(
        store.getAll() as IDBRequest<
          { modelPath: string; modelArtifactsInfo: ModelArtifactsInfo }[]
        >,
        'listModels()',
        'listing IndexedDB',
      ),
    );
    for (const { modelPath: name, modelArtifactsInfo } of infos)
      out[IDB + name] = modelArtifactsInfo;
  }
  if (g.localStorage) {
    for (let i = 0; i < g.localStorage.length; i++) {
      const key = g.localStorage.key(i) ?? '';
      if (key.startsWith(LS_PREFIX) && key.endsWith('/info')) {
        const name = key.slice(LS_PREFIX.length, -'/info'.length);
        try {
          const info = JSON.parse(g.localStorage.getItem(key) ?? 'null') as ModelArtifactsInfo;
          out[LS + name] = { ...info, dateSaved: new Date(info.dateSaved) };
        } catch {
          throw damaged(LS + name, `the key '${key}' is not JSON`);
        }
      }
    }
  }
  return out;
}

/** Deletes a stored model ('indexeddb://name' or 'localstorage://name'); returns its info. */
export async function removeModel(url: string): Promise<ModelArtifactsInfo> {
  const scheme = typeof url === 'string' ? browserScheme(url) : undefined;
  if (scheme === undefined) {
    throw new SerializationError(
      `removeModel: expected 'indexeddb://name' or 'localstorage://name', received ${describe(url)}.`,
    );
  }
  const name = modelPath(url, scheme);
  if (scheme === IDB) {
    return transact(url, 'readwrite', async (models, infos) => {
      const record = await request(
        infos.get(name) as IDBRequest<unknown>,
        url,
        'reading the model',
      );
      if (record === undefined) throw missing(url, 'IndexedDB');
      models.delete(name);
      infos.delete(name);
      return (record as { modelArtifactsInfo: ModelArtifactsInfo }).modelArtifactsInfo;
    });
  }
  const storage = localStore(url);
  const info = storage.getItem(lsKey(name, 'info'));
  if (info === null) throw missing(url, 'localStorage');
  for (const part of LS_PARTS) storage.removeItem(lsKey(name, part));
  try {
    const parsed = JSON.parse(info) as ModelArtifactsInfo;
    return { ...parsed, dateSaved: new Date(parsed.dateSaved) };
  } catch {
    throw damaged(url, `its info was not JSON (the model was removed all the same)`);
  }
}
