/** The messages between the playground page (page.ts) and its worker (worker.ts). */
import type * as Sinew from 'sinew';
import type { PlaygroundConfig } from './config.js';
import type { StepResult, Views } from './trainer.js';

export type FromPage =
  /** Load sinew and the digits; `threads` forces the wasm backend's thread count (the benchmark). */
  | { type: 'init'; threads?: number }
  /** A new run of this configuration (the previous one is dropped). */
  | { type: 'start'; config: PlaygroundConfig }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  /** The model's artifacts, for "download model". */
  | { type: 'export' };

export type ToPage =
  | { type: 'ready'; backend: string; variant: string; threads: number; isolated: boolean }
  | ({ type: 'step'; stepsPerSecond: number } & StepResult)
  | { type: 'views'; views: Views }
  | { type: 'playing'; playing: boolean }
  | { type: 'stopped'; reason: string }
  | { type: 'error'; message: string }
  | { type: 'model'; artifacts: Sinew.io.ModelArtifacts };
