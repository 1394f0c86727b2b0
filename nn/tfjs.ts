/**
 * The type of the TensorFlow.js namespace, in a module of its own so that
 * `backend.ts` (which loads tfjs and installs the fast matrix product) and
 * `_fast_matmul.ts` (which needs the type) do not import each other.
 * Other modules take the type from `backend.ts`, which re-exports it.
 *
 * @module
 */

/** The TensorFlow.js namespace (`@tensorflow/tfjs`), whichever backend runs it. */
export type Tfjs = typeof import("@tensorflow/tfjs");
