import { Registry } from '../serialization.js';
import { Layer } from './layer.js';

/**
 * The layer registry itself, empty here; ./get.ts registers every built-in class in it. It
 * has a file of its own because layers that rebuild nested layers from configs (rnn's cell,
 * bidirectional's layer) read it, and ./get.ts imports those layers: declaring the registry
 * in get.ts would make an import cycle that breaks whichever module is loaded first.
 */
export const layerRegistry = new Registry<Layer>('layer', Layer);
