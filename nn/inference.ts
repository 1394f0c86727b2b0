/**
 * Running a saved autoencoder: its encoder (images → codes), its decoder
 * (codes → images) and the two in a row (reconstruction), on plain tensors,
 * in batches so memory stays bounded. Used by the `encode` and `render`
 * stages; TensorFlow.js is loaded on the first call.
 *
 * @module
 */
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";
import type { BackendChoice, Tfjs } from "./backend.ts";
import { loadBackend } from "./backend.ts";
import type { LayersModel, SavedAutoencoder } from "./autoencoder.ts";
import { CODE_LAYER, loadModel } from "./autoencoder.ts";

/** Rows per batch unless the caller says otherwise. */
const DEFAULT_BATCH_SIZE = 10_000;

/**
 * Encodes images: runs the encoder half of a saved autoencoder.
 *
 * @param model the `train` stage's `modelJson` and `weights`
 * @param images float32, N × input width
 * @param backend the backend to compute on (`auto` picks as usual, silently)
 * @param batchSize rows per batch
 * @returns float32 codes, N × encodedDim
 * @throws {RangeError} when the images' width is not the model's input width
 * @example
 * ```ts
 * import { encode } from "./inference.ts";
 * import { loadBackend } from "./backend.ts";
 * import { buildModel, initialWeights, layerPlan, saveModel } from "./autoencoder.ts";
 * import { tensor } from "../engine/tensor.ts";
 *
 * const spec = {
 *   inputDim: 4, encoderLayers: [4], encodedDim: 2,
 *   hiddenActivation: "sigmoid", codeActivation: "sigmoid", outputActivation: "sigmoid",
 * } as const;
 * const { tf } = await loadBackend("cpu");
 * const built = buildModel(tf, spec, initialWeights(layerPlan(spec), 0));
 * const model = await saveModel(tf, built);
 * built.dispose();
 * const codes = await encode(model, tensor("float32", [3, 4], new Float32Array(12)), "cpu");
 * if (codes.shape.join() !== "3,2") throw new Error(`shape ${codes.shape}`);
 * ```
 */
export async function encode(
  model: SavedAutoencoder,
  images: Tensor<"float32">,
  backend: BackendChoice,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<Tensor<"float32">> {
  return await applyInBatches(model, "encoder", images, backend, batchSize);
}

/**
 * Decodes codes into images: runs the decoder half of a saved autoencoder.
 *
 * @param model the `train` stage's `modelJson` and `weights`
 * @param codes float32, k × encodedDim (k-means centroids, for example)
 * @param backend the backend to compute on
 * @param batchSize rows per batch
 * @returns float32 images, k × input width (784 for MNIST)
 * @throws {RangeError} when the codes' width is not the model's code width
 */
export async function decode(
  model: SavedAutoencoder,
  codes: Tensor<"float32">,
  backend: BackendChoice,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<Tensor<"float32">> {
  return await applyInBatches(model, "decoder", codes, backend, batchSize);
}

/**
 * Reconstructs images: encodes them, then decodes the codes.
 *
 * @param model the `train` stage's `modelJson` and `weights`
 * @param images float32, k × input width
 * @param backend the backend to compute on
 * @param batchSize rows per batch
 * @returns float32 reconstructions, k × input width
 * @throws {RangeError} when the images' width is not the model's input width
 */
export async function reconstruct(
  model: SavedAutoencoder,
  images: Tensor<"float32">,
  backend: BackendChoice,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<Tensor<"float32">> {
  return await applyInBatches(model, "autoencoder", images, backend, batchSize);
}

/**
 * Loads a saved autoencoder, runs one of its parts over the rows of
 * `input`, `batchSize` rows at a time, and frees the model: what
 * {@link encode}, {@link decode} and {@link reconstruct} each do with their part.
 */
async function applyInBatches(
  saved: SavedAutoencoder,
  part: keyof Halves,
  input: Tensor<"float32">,
  backend: BackendChoice,
  batchSize: number,
): Promise<Tensor<"float32">> {
  return await withHalves(
    saved,
    backend,
    (tf, halves) => runInBatches(tf, halves[part], input, batchSize),
  );
}

/** The whole model and its two halves. */
interface Halves {
  readonly autoencoder: LayersModel;
  readonly encoder: LayersModel;
  readonly decoder: LayersModel;
}

/** Loads the model, splits it at the code layer, runs `action`, then frees it all. */
async function withHalves<T>(
  saved: SavedAutoencoder,
  backend: BackendChoice,
  action: (tf: Tfjs, halves: Halves) => T,
): Promise<T> {
  const { tf } = await loadBackend(backend);
  const autoencoder = await loadModel(tf, saved);
  try {
    const names = autoencoder.layers.map((layer) => layer.name);
    const codeIndex = names.indexOf(CODE_LAYER);
    if (codeIndex < 0) {
      throw new Error(`The saved model has no layer '${CODE_LAYER}' (layers: ${names.join(", ")})`);
    }
    const codeLayer = autoencoder.layers[codeIndex]!;
    const encoder = tf.model({
      inputs: autoencoder.inputs,
      outputs: codeLayer.output,
      name: "encoder",
    });
    const codeWidth = (codeLayer.outputShape as number[])[1]!;
    const codeInput = tf.input({ shape: [codeWidth] });
    let decoded = codeInput;
    for (const layer of autoencoder.layers.slice(codeIndex + 1)) {
      decoded = layer.apply(decoded) as typeof codeInput;
    }
    const decoder = tf.model({ inputs: codeInput, outputs: decoded, name: "decoder" });
    try {
      return action(tf, { autoencoder, encoder, decoder });
    } finally {
      // Applying the decoder's layers to a new input made them count one more user
      // (the encoder, built on the existing graph, did not): release it first.
      decoder.dispose();
    }
  } finally {
    autoencoder.dispose();
  }
}

/** Runs a model over the rows of `input`, `batchSize` rows at a time. */
function runInBatches(
  tf: Tfjs,
  model: LayersModel,
  input: Tensor<"float32">,
  batchSize: number,
): Tensor<"float32"> {
  const inputWidth = (model.inputs[0]!.shape as number[])[1]!;
  const outputWidth = (model.outputs[0]!.shape as number[])[1]!;
  const [rows = 0, width] = input.shape;
  if (input.shape.length !== 2 || width !== inputWidth) {
    throw new RangeError(
      `Cannot run the ${model.name} on rows of shape [${input.shape}]: it takes [N, ${inputWidth}]`,
    );
  }
  const output = new Float32Array(rows * outputWidth);
  for (let start = 0; start < rows; start += batchSize) {
    const count = Math.min(batchSize, rows - start);
    // Nothing is returned from tidy(): it would search a returned array for tensors.
    tf.tidy(() => {
      const batch = tf.tensor2d(
        input.data.subarray(start * inputWidth, (start + count) * inputWidth),
        [count, inputWidth],
      );
      // apply(), not predict(): predict slices its input into batches of 32.
      const result = model.apply(batch) as ReturnType<Tfjs["tensor2d"]>;
      output.set(result.dataSync(), start * outputWidth);
    });
  }
  return tensor("float32", [rows, outputWidth], output);
}
