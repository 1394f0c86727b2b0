/**
 * The `normalise` stage: turns images into rows of features in [0, 1],
 * optionally standardised per feature.
 *
 * @module
 */
import type { SectionSchema, SectionValues } from "../config/schema.ts";
import type { Stage, StageOutputs } from "../engine/stage.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";

/** The `normalise` configuration section. */
export const normaliseSection = {
  standardise: {
    type: "boolean",
    default: false,
    doc: "also standardise each pixel to mean 0 and standard deviation 1, with statistics " +
      "from the training images applied to both splits (scikit-learn's StandardScaler); " +
      "pixels that never vary are only centred. Values then leave [0, 1]",
  },
} as const satisfies SectionSchema;

/** The `normalise` section's values. */
export type NormaliseConfig = SectionValues<typeof normaliseSection>;

/**
 * Standard deviations at or below this count as zero: such a feature is
 * constant up to rounding, and dividing by it would blow rounding noise up.
 * Pixels in [0, 1] that vary at all have a far larger deviation (a single
 * 1/255 among a million zeros still gives about 4e-6).
 */
export const CONSTANT_FEATURE_STD = 1e-7;

/**
 * Scales `load`'s images to [0, 1] (÷255) and flattens them to rows.
 * Outputs `train` and `test` (float32, N×(H·W)), and `featureMean` and
 * `featureScale` (float32, H·W): the standardisation applied, so that
 * `pixel / 255 = value × featureScale + featureMean` (0 and 1 when
 * `normalise.standardise` is false).
 */
export const normaliseStage: Stage<{ normalise: NormaliseConfig }> = {
  name: "normalise",
  needs: ["load"],
  reads: ["normalise"],
  source: import.meta.url,
  run(inputs, context): Promise<StageOutputs> {
    const trainImages = inputs.tensor("load", "trainImages", "uint8");
    const testImages = inputs.tensor("load", "testImages", "uint8");
    const train = flattenToUnit(trainImages);
    const test = flattenToUnit(testImages);
    const features = train.shape[1] as number;
    let featureMean: Float32Array = new Float32Array(features);
    let featureScale: Float32Array = new Float32Array(features).fill(1);
    if (context.config.normalise.standardise) {
      const statistics = featureStatistics(train.data, features);
      ({ mean: featureMean, scale: featureScale } = statistics);
      standardiseInPlace(train.data, featureMean, featureScale);
      standardiseInPlace(test.data, featureMean, featureScale);
      context.note("constantFeatures", statistics.constantFeatures);
    }
    context.log(
      `${train.shape[0]} training and ${test.shape[0]} test rows of ${features} features` +
        (context.config.normalise.standardise ? ", standardised" : ""),
    );
    return Promise.resolve({
      train,
      test,
      featureMean: tensor("float32", [features], featureMean),
      featureScale: tensor("float32", [features], featureScale),
    });
  },
};

/**
 * Scales uint8 images to [0, 1] and flattens each to one row.
 *
 * @param images uint8 tensor N×H×W (or N×F)
 * @returns float32 tensor N×(H·W), each value pixel / 255
 */
export function flattenToUnit(images: Tensor<"uint8">): Tensor<"float32"> {
  const [count = 0, ...pixelShape] = images.shape;
  const features = pixelShape.reduce((product, dim) => product * dim, 1);
  return tensor("float32", [count, features], scaleToUnit(images.data));
}

/**
 * Divides bytes by 255. A table of the 256 quotients keeps the loop to one
 * load and one store per pixel, with exactly rounded results.
 *
 * @param pixels values 0–255
 * @returns a new array of pixel / 255
 */
export function scaleToUnit(pixels: Uint8Array): Float32Array {
  const quotients = new Float32Array(256);
  for (let value = 0; value < 256; value++) quotients[value] = value / 255;
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = quotients[pixels[i] as number] as number;
  return scaled;
}

/**
 * Per-feature mean and scale (population standard deviation, as
 * scikit-learn's StandardScaler), in two passes with float64 sums. Features
 * whose deviation is at most {@link CONSTANT_FEATURE_STD} get scale 1, so
 * standardising them only centres them (no division by zero, no NaN).
 *
 * @param rows row-major N×features values
 * @param features the number of features per row
 * @returns mean and scale per feature (zeros and ones when there are no rows),
 *   and how many features were constant
 */
export function featureStatistics(
  rows: Float32Array,
  features: number,
): { mean: Float32Array; scale: Float32Array; constantFeatures: number } {
  const count = features === 0 ? 0 : rows.length / features;
  const sums = new Float64Array(features);
  for (let row = 0; row < count; row++) {
    const offset = row * features;
    for (let feature = 0; feature < features; feature++) {
      sums[feature]! += rows[offset + feature]!;
    }
  }
  const means = sums.map((sum) => (count === 0 ? 0 : sum / count));
  const squares = new Float64Array(features);
  for (let row = 0; row < count; row++) {
    const offset = row * features;
    for (let feature = 0; feature < features; feature++) {
      const deviation = rows[offset + feature]! - means[feature]!;
      squares[feature]! += deviation * deviation;
    }
  }
  const scale = new Float32Array(features);
  let constantFeatures = 0;
  for (let feature = 0; feature < features; feature++) {
    const std = count === 0 ? 0 : Math.sqrt(squares[feature]! / count);
    if (std > CONSTANT_FEATURE_STD) {
      scale[feature] = std;
    } else {
      scale[feature] = 1;
      constantFeatures++;
    }
  }
  return { mean: Float32Array.from(means), scale, constantFeatures };
}

/**
 * Standardises rows in place: (value − mean) / scale per feature.
 *
 * @param rows row-major N×features values, modified
 * @param mean per-feature mean
 * @param scale per-feature scale (never 0: see {@link featureStatistics})
 */
export function standardiseInPlace(
  rows: Float32Array,
  mean: Float32Array,
  scale: Float32Array,
): void {
  const features = mean.length;
  const inverse = Float64Array.from(scale, (value) => 1 / value);
  for (let offset = 0; offset < rows.length; offset += features) {
    for (let feature = 0; feature < features; feature++) {
      rows[offset + feature] = (rows[offset + feature]! - mean[feature]!) * inverse[feature]!;
    }
  }
}
