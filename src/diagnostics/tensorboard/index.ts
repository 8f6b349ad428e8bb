/**
 * TensorBoard event files: the `tensorBoard` callback, and a reader that checks every record
 * (used by the tests; handy for inspecting runs without TensorBoard).
 */
export { TensorBoard, tensorBoard, type TensorBoardOptions } from './callback.js';
export { readEventFile, parseEventFile, type ReadEventFileOptions } from './reader.js';
export type { TensorBoardEvent, SummaryValue, Histogram } from './events.js';
