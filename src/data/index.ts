export { mnist, type Mnist, type MnistOptions } from './mnist.js';
