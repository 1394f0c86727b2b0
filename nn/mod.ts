/**
 * The neural network: which TensorFlow.js backend computes (`backend.ts`,
 * with a faster matrix product for `wasm` in `_fast_matmul.ts` and the
 * namespace's type in `tfjs.ts`), the dense autoencoder and its saved form
 * (`autoencoder.ts`), and running a saved one to encode, decode and
 * reconstruct (`inference.ts`). Training is in `nn/train/`, re-exported
 * here.
 *
 * This is the folder's public face for readers and other programs. Stages
 * import the module they need (`../nn/inference.ts`) rather than this one: a
 * stage's cache key digests every module it imports, and this one imports
 * the whole folder.
 *
 * @module
 */
export type { BackendChoice, BackendName, LoadedBackend, Tfjs } from "./backend.ts";
export { backendField, loadBackend } from "./backend.ts";
export type {
  Activation,
  AutoencoderSpec,
  DenseLayerPlan,
  LayersModel,
  SavedAutoencoder,
} from "./autoencoder.ts";
export {
  ACTIVATIONS,
  buildModel,
  CODE_LAYER,
  countWeights,
  initialWeights,
  layerPlan,
  loadModel,
  saveModel,
  SEED_AUTOENCODER,
  weightShapes,
} from "./autoencoder.ts";
export { decode, encode, reconstruct } from "./inference.ts";
export * from "./train/mod.ts";
