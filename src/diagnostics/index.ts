/**
 * sn.diagnostics: statistics of weights and activations, a monitor callback that logs them on
 * a probe batch during fit, and advice read from the log.
 */
export { Monitor, monitor, type MonitorOptions } from './monitor.js';
export {
  ADVICE_THRESHOLDS,
  advise,
  formatAdvice,
  type AdviceThresholds,
  type AdviseOptions,
} from './advice.js';
export {
  activeFraction,
  channelStats,
  deadUnitFraction,
  histogram,
  saturationFraction,
  sparsity,
  tensorStats,
  unitMeans,
  type ChannelStats,
  type HistogramOptions,
  type Values,
} from './stats.js';
export type {
  Advice,
  ChannelRecord,
  GateSaturation,
  Histogram,
  LayerRecord,
  LossRecord,
  MonitorLog,
  MonitorRecord,
  RegularizerInfo,
  TensorStats,
  WeightRecord,
} from './types.js';
export {
  renderReport,
  writeReport,
  type ChannelSummary,
  type ReportInput,
  type VariantReport,
} from './report/index.js';
export { readEventFile, parseEventFile, type TensorBoardEvent } from './tensorboard/index.js';
