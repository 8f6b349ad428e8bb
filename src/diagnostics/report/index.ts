/** The self-contained HTML lab report. */
export type { ChannelSummary, ReportInput, VariantReport } from './types.js';
export { renderReport } from './render.js';
export { writeReport } from './write.js';
