export { mnist, type Mnist, type MnistOptions } from './mnist.js';
export { Dataset, type DatasetState, type ShuffleOptions } from './dataset.js';
export { array, generator, zip } from './sources.js';
export { csv, CSVDataset, type CSVConfig, type CSVElement, type ColumnConfig } from './csv.js';
