/**
 * The dense autoencoder: its layer plan, seeded initial weights, and the
 * TensorFlow.js model built from them, saved in tfjs's own format (a
 * `model.json` document and the weight bytes) so that any tfjs program can
 * load it with `tf.loadLayersModel`.
 *
 * The seed's network is 784→784→64→32→3 (the encoder) and 3→32→64→784 (the
 * decoder): the decoder mirrors the encoder's layers after the first, which
 * already has the input's width.
 *
 * @module
 */
import type { JsonValue } from "../engine/stage.ts";
import type { Tfjs } from "./backend.ts";
import { Random } from "../ml/random.ts";

/** Activation functions a layer may use (tfjs-layers identifiers). */
export type Activation = "sigmoid" | "relu" | "linear" | "tanh" | "elu" | "selu" | "softplus";

/** The activations, for the configuration schema. */
export const ACTIVATIONS: readonly Activation[] = [
  "sigmoid",
  "relu",
  "linear",
  "tanh",
  "elu",
  "selu",
  "softplus",
];

/** The shape of an autoencoder: widths and activations. */
export interface AutoencoderSpec {
  /** Features per input row (784 for MNIST). */
  readonly inputDim: number;
  /** Widths of the encoder's hidden layers, input side first. */
  readonly encoderLayers: readonly number[];
  /** Width of the code (the bottleneck). */
  readonly encodedDim: number;
  /** Activation of every hidden layer, encoder and decoder. */
  readonly hiddenActivation: Activation;
  /** Activation of the code layer. */
  readonly codeActivation: Activation;
  /** Activation of the reconstruction. */
  readonly outputActivation: Activation;
}

/** One dense layer of the plan. */
export interface DenseLayerPlan {
  /** Layer name in the saved model (`enc_dense_1`, `enc_output`, `dec_dense_1`…). */
  readonly name: string;
  /** Width of its input. */
  readonly inputs: number;
  /** Width of its output. */
  readonly units: number;
  /** Its activation. */
  readonly activation: Activation;
}

/** Name of the code layer: the encoder ends there and the decoder starts after it. */
export const CODE_LAYER = "enc_output";

/** The blog post's autoencoder: 784→784→64→32→3, decoder 3→32→64→784, sigmoid everywhere. */
export const SEED_AUTOENCODER: AutoencoderSpec = {
  inputDim: 784,
  encoderLayers: [784, 64, 32],
  encodedDim: 3,
  hiddenActivation: "sigmoid",
  codeActivation: "sigmoid",
  outputActivation: "sigmoid",
};

/** A saved autoencoder: what the `train` stage outputs. */
export interface SavedAutoencoder {
  /** tfjs `model.json`: the model topology and the weights manifest. */
  readonly modelJson: JsonValue;
  /** The weight values, float32 little-endian, in the manifest's order. */
  readonly weights: Uint8Array;
}

/**
 * The autoencoder's dense layers in order: the encoder's hidden layers, the
 * code layer, then the decoder, which mirrors the encoder's hidden layers
 * after the first (whose width the reconstruction layer already has).
 *
 * @param spec widths and activations
 * @returns the layers, input side first
 * @example
 * ```ts
 * import { layerPlan, SEED_AUTOENCODER } from "./autoencoder.ts";
 *
 * const widths = layerPlan(SEED_AUTOENCODER).map((layer) => layer.units);
 * if (widths.join("→") !== "784→64→32→3→32→64→784") throw new Error(widths.join("→"));
 * ```
 */
export function layerPlan(spec: AutoencoderSpec): DenseLayerPlan[] {
  const plan: DenseLayerPlan[] = [];
  const add = (name: string, units: number, activation: Activation) =>
    plan.push({ name, inputs: plan.at(-1)?.units ?? spec.inputDim, units, activation });
  spec.encoderLayers.forEach((units, index) =>
    add(`enc_dense_${index + 1}`, units, spec.hiddenActivation)
  );
  add(CODE_LAYER, spec.encodedDim, spec.codeActivation);
  spec.encoderLayers.slice(1).reverse().forEach((units, index) =>
    add(`dec_dense_${index + 1}`, units, spec.hiddenActivation)
  );
  add("dec_output", spec.inputDim, spec.outputActivation);
  return plan;
}

/**
 * Shapes of the weight arrays, in the order tfjs saves them: each layer's
 * kernel (inputs × units) then its bias (units).
 *
 * @param plan the layers
 * @returns one shape per weight array
 */
export function weightShapes(plan: readonly DenseLayerPlan[]): number[][] {
  return plan.flatMap((layer) => [[layer.inputs, layer.units], [layer.units]]);
}

/**
 * Initial weights: Glorot-uniform kernels (uniform in ±√(6 / (inputs +
 * units))) and zero biases, drawn from a generator seeded with `seed`, so
 * equal seeds give equal weights on every backend.
 *
 * @param plan the layers
 * @param seed the generator's seed
 * @returns all weights flattened in {@link weightShapes} order
 */
export function initialWeights(plan: readonly DenseLayerPlan[], seed: number): Float32Array {
  const random = new Random(seed);
  const weights = new Float32Array(countWeights(plan));
  let offset = 0;
  for (const layer of plan) {
    const limit = Math.sqrt(6 / (layer.inputs + layer.units));
    const kernelSize = layer.inputs * layer.units;
    for (let i = 0; i < kernelSize; i++) weights[offset + i] = (2 * random.next() - 1) * limit;
    offset += kernelSize + layer.units; // biases stay zero
  }
  return weights;
}

/**
 * The number of weights (kernels and biases) of a layer plan.
 *
 * @param plan the layers
 * @returns the total count
 */
export function countWeights(plan: readonly DenseLayerPlan[]): number {
  return plan.reduce((sum, layer) => sum + (layer.inputs + 1) * layer.units, 0);
}

/** A tfjs layers model, as returned by `tf.model`. */
export type LayersModel = ReturnType<Tfjs["model"]>;

/**
 * Builds the tfjs model (one functional model from the input to the
 * reconstruction) and sets its weights.
 *
 * @param tf the tfjs namespace
 * @param spec widths and activations
 * @param weights all weights flattened in {@link weightShapes} order
 * @returns the model; the caller disposes it
 * @throws {RangeError} when `weights` does not have the plan's length
 */
export function buildModel(tf: Tfjs, spec: AutoencoderSpec, weights: Float32Array): LayersModel {
  const plan = layerPlan(spec);
  if (weights.length !== countWeights(plan)) {
    throw new RangeError(
      `Cannot build the autoencoder: it has ${countWeights(plan)} weights, got ${weights.length}`,
    );
  }
  const input = tf.input({ shape: [spec.inputDim], name: "enc_input" });
  let output = input;
  for (const layer of plan) {
    const dense = tf.layers.dense({
      units: layer.units,
      activation: layer.activation,
      name: layer.name,
      kernelInitializer: "glorotUniform",
      biasInitializer: "zeros",
    });
    output = dense.apply(output) as typeof input;
  }
  const model = tf.model({ inputs: input, outputs: output, name: "autoencoder" });
  const shapes = weightShapes(plan);
  let offset = 0;
  const tensors = shapes.map((shape) => {
    const size = shape.reduce((product, dim) => product * dim, 1);
    const values = weights.subarray(offset, offset + size);
    offset += size;
    return tf.tensor(values, shape, "float32");
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/**
 * Saves a model in tfjs's format: `model.json` (topology, and a manifest
 * naming one weights file) and the weight bytes.
 *
 * @param tf the tfjs namespace
 * @param model the model to save
 * @returns the JSON document and the bytes; equal models give equal bytes
 */
export async function saveModel(tf: Tfjs, model: LayersModel): Promise<SavedAutoencoder> {
  type Artifacts = Parameters<Parameters<Tfjs["io"]["withSaveHandler"]>[0]>[0];
  let saved: Artifacts | undefined;
  await model.save(tf.io.withSaveHandler((artifacts) => {
    saved = artifacts;
    return Promise.resolve({
      modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" },
    });
  }));
  if (saved?.weightData === undefined || saved.weightSpecs === undefined) {
    throw new Error("tfjs saved the autoencoder without its weights");
  }
  const weightData = Array.isArray(saved.weightData)
    ? tf.io.concatenateArrayBuffers(saved.weightData)
    : saved.weightData;
  const modelJson = {
    modelTopology: saved.modelTopology,
    format: saved.format ?? "layers-model",
    generatedBy: saved.generatedBy ?? null,
    convertedBy: saved.convertedBy ?? null,
    weightsManifest: [{ paths: ["weights.bin"], weights: saved.weightSpecs }],
  };
  // A JSON round trip drops the `undefined` fields tfjs leaves in place.
  return {
    modelJson: JSON.parse(JSON.stringify(modelJson)) as JsonValue,
    weights: new Uint8Array(weightData.slice(0)),
  };
}

/**
 * Loads a model saved by {@link saveModel} (or any tfjs layers model of one
 * weights file).
 *
 * @param tf the tfjs namespace
 * @param saved the `model.json` document and the weight bytes
 * @returns the model; the caller disposes it
 * @throws {Error} when the document is not a tfjs layers model
 */
export async function loadModel(tf: Tfjs, saved: SavedAutoencoder): Promise<LayersModel> {
  const json = saved.modelJson as {
    modelTopology?: object;
    weightsManifest?: { weights?: unknown[] }[];
  };
  const weightSpecs = json.weightsManifest?.flatMap((group) => group.weights ?? []);
  if (json.modelTopology === undefined || weightSpecs === undefined) {
    throw new Error("The saved autoencoder's model.json has no modelTopology or weightsManifest");
  }
  const bytes = saved.weights;
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: weightSpecs as Parameters<Tfjs["io"]["fromMemory"]>[1],
    weightData: weightData as ArrayBuffer,
  }));
}
