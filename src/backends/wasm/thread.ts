/**
 * One worker thread of the pool (./pool.ts), in Node (worker_threads) or in a browser (a Web
 * Worker), running the same program: it instantiates the kernels on the shared memory, says
 * that it runs, then waits for jobs in its slots of the control array and runs them.
 *
 * Slots of the control array (Int32, SLOTS per worker, two cache lines):
 *   [SEQ]     job sequence number posted by the caller (-1 asks the worker to stop)
 *   [DONE]    the last job the worker finished        [RUNNING] 1 once the worker runs
 *   [FAILED]  1 if a job threw                        [JOBS_DONE] jobs run by the worker
 *   [KIND]    which job (an index into the job table)
 *   [CLAIM]   the last job claimed, by the worker (it runs it) or by the caller taking it back
 *             (the worker then skips it): whoever moves it to the job's number first
 *   [ARGS..]  its arguments: int32, or float32 bits where the job's signature says 'f'
 * A job table entry is [kernel export name, signature]: one letter per argument, 'i' int32,
 * 'f' float32, 's' the worker's own scratch (not written by the caller).
 */

export const SLOTS = 32;
export const SEQ = 0;
export const DONE = 1;
export const RUNNING = 2;
export const FAILED = 3;
export const JOBS_DONE = 4;
export const KIND = 5;
export const CLAIM = 6;
export const ARGS = 8;

/** What a worker receives at start (Node: workerData; a browser: its first message). */
export interface ThreadData {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly index: number;
  readonly spinMs: number;
  /** This worker's scratch (byte offset in the memory), passed for 's' arguments. */
  readonly scratch: number;
  readonly jobs: readonly (readonly [string, string])[];
}

// Plain JavaScript, the same in both environments (only how it gets its data differs), kept
// as text so that it runs from src/ (TypeScript through tsx), dist/ and the browser bundle
// without a separate file to find.
const PROGRAM = `
function run({ module, memory, control, index, spinMs, scratch, jobs }) {
  const s = new Int32Array(control, index * ${SLOTS * 4}, ${SLOTS});
  const f = new Float32Array(control, index * ${SLOTS * 4}, ${SLOTS});
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const kernels = jobs.map(([name]) => k[name]);
  Atomics.store(s, ${RUNNING}, 1);
  Atomics.notify(s, ${RUNNING});
  let last = 0;
  for (;;) {
    let seq = Atomics.load(s, ${SEQ});
    if (seq === last) {
      const until = performance.now() + spinMs;
      while ((seq = Atomics.load(s, ${SEQ})) === last && performance.now() < until);
      while (seq === last) {
        Atomics.wait(s, ${SEQ}, last);
        seq = Atomics.load(s, ${SEQ});
      }
    }
    if (seq < 0) break;
    last = seq;
    const claimed = Atomics.load(s, ${CLAIM});
    if (claimed >= seq || Atomics.compareExchange(s, ${CLAIM}, claimed, seq) !== claimed) {
      continue; // the caller took this job back before the worker got to it
    }
    try {
      const kind = s[${KIND}];
      const signature = jobs[kind][1];
      const args = [];
      for (let j = 0; j < signature.length; j++) {
        const t = signature[j];
        args.push(t === 's' ? scratch : t === 'f' ? f[${ARGS} + j] : s[${ARGS} + j]);
      }
      kernels[kind](...args);
      Atomics.add(s, ${JOBS_DONE}, 1);
    } catch {
      Atomics.store(s, ${FAILED}, 1);
    }
    Atomics.store(s, ${DONE}, seq);
    Atomics.notify(s, ${DONE});
  }
}
`;

const NODE_PROGRAM = `${PROGRAM}\nrun(require('node:worker_threads').workerData);\n`;
// A start message that cannot be received (a Module or shared Memory outside a cross-origin
// isolated page) is an error event on the Worker object, so the pool counts the worker dead.
const WEB_PROGRAM = `${PROGRAM}
self.onmessage = (e) => {
  self.onmessage = null;
  run(e.data);
};
self.onmessageerror = () => {
  throw new Error('sinew worker: the start message could not be received');
};
`;

/** A started worker, whichever the environment. */
export interface Thread {
  /** Stops it (it may be in a job: its share was already given up). */
  terminate(): void;
  /** Lets the process exit while the worker idles (Node; nothing in a browser). */
  unref(): void;
}

function isNode(): boolean {
  return (
    typeof process !== 'undefined' &&
    typeof process.versions?.node === 'string' &&
    typeof process.getBuiltinModule === 'function'
  );
}

/**
 * Whether this environment can run the pool: Node with SharedArrayBuffer, or a browser page
 * (or worker) that is cross-origin isolated, where a shared WebAssembly.Memory exists and can
 * be sent to a Web Worker.
 */
export function threadsAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  if (isNode()) return true;
  return (
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true &&
    typeof Worker === 'function' &&
    typeof Blob === 'function' &&
    typeof URL.createObjectURL === 'function'
  );
}

let blocking: boolean | undefined;

/**
 * Whether this thread may block in Atomics.wait: not a browser's main thread (it throws there),
 * which must spin instead. Found by trying once on a small array (the value differs, so a
 * thread that may block returns at once).
 */
export function canBlock(): boolean {
  if (blocking === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}

/**
 * Starts a worker on `data`; `onDead` is called if it fails or exits. Throws if the
 * environment refuses (a browser's content security policy, for one): the caller then counts
 * that worker dead.
 */
export function spawnThread(data: ThreadData, onDead: () => void): Thread {
  if (isNode()) {
    const { Worker: NodeWorker } = process.getBuiltinModule('node:worker_threads');
    const worker = new NodeWorker(NODE_PROGRAM, { eval: true, workerData: data });
    worker.on('error', onDead);
    worker.on('exit', onDead);
    return {
      terminate: () => void worker.terminate(),
      unref: () => worker.unref(),
    };
  }
  const url = URL.createObjectURL(new Blob([WEB_PROGRAM], { type: 'text/javascript' }));
  try {
    const worker = new Worker(url);
    worker.onerror = (event) => {
      event.preventDefault(); // the pool runs this worker's shares itself: not a page error
      onDead();
    };
    try {
      worker.postMessage(data);
    } catch (e) {
      worker.terminate(); // a start message that cannot be cloned (not cross-origin isolated)
      throw e;
    }
    return { terminate: () => worker.terminate(), unref: () => {} };
  } finally {
    // The Worker constructor has resolved the URL: its script loads even once it is revoked.
    URL.revokeObjectURL(url);
  }
}
