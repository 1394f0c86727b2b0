import { locateMnist } from "../data/mnist.ts";
import { readIdxFile } from "../data/idx.ts";
import type { Tensor } from "../engine/tensor.ts";
import { tensor } from "../engine/tensor.ts";

/**
 * The first `count` MNIST training images scaled to [0, 1], as rows of 784
 * values (what `normalise` outputs), for tests that train on real digits.
 *
 * @param count how many images
 * @returns float32 tensor count × 784
 */
export async function mnistSample(count: number): Promise<Tensor<"float32">> {
  const images = await readIdxFile(locateMnist().trainImages, "test fixture");
  const pixels = images.data.subarray(0, count * 784);
  return tensor("float32", [count, 784], Float32Array.from(pixels, (pixel) => pixel / 255));
}
