/**
 * Just enough of the WebAssembly binary format to write the distance kernels
 * of k-means (`_kmeans_wasm.ts`) and of the nearest-neighbour search
 * (`_nearest_neighbours_scan.ts`) as readable instruction lists: numbers in
 * LEB128, sections, and the handful of opcodes they use (names as in the
 * WebAssembly specification).
 */

/** Bytes of one or more instructions. */
export type Code = number[];

/** Value types. */
export const i32 = 0x7f;
/** Value types. */
export const f64 = 0x7c;
/** Value types. */
export const v128 = 0x7b;

/** An unsigned LEB128 number. */
export function unsigned(value: number): Code {
  const bytes: Code = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** A signed LEB128 number. */
export function signed(value: number): Code {
  const bytes: Code = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** A vector: its length, then its items. */
export function vector(items: Code[]): Code {
  return [...unsigned(items.length), ...items.flat()];
}

/** A name (UTF-8 here is ASCII). */
export function name(text: string): Code {
  return vector([...text].map((character) => [character.charCodeAt(0)]));
}

/** A section: id, byte length, contents. */
export function section(id: number, contents: Code): Code {
  return [id, ...unsigned(contents.length), ...contents];
}

/** The instructions the kernels use. */
export const op = {
  localGet: (index: number): Code => [0x20, ...unsigned(index)],
  localSet: (index: number): Code => [0x21, ...unsigned(index)],
  localTee: (index: number): Code => [0x22, ...unsigned(index)],
  i32Const: (value: number): Code => [0x41, ...signed(value)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  f64Add: [0xa0],
  /** `block` and `loop` without results; close each with `end`. */
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number): Code => [0x0c, ...unsigned(depth)],
  brIf: (depth: number): Code => [0x0d, ...unsigned(depth)],
  /** f64.store with 8-byte alignment at a constant offset. */
  f64Store: (offset: number): Code => [0x39, 3, ...unsigned(offset)],
  /** v128.load with the given alignment (log2 bytes) at a constant offset. */
  v128Load: (alignLog2: number, offset: number): Code => simd(0x00, alignLog2, ...unsigned(offset)),
  /** Lanes 2 and 3 of a f32x4 moved to lanes 0 and 1 (i8x16.shuffle of a vector with itself). */
  highHalfToLow: simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
  f64x2PromoteLowF32x4: simd(0x5f),
  f64x2ExtractLane: (lane: number): Code => simd(0x21, lane),
  f64x2Add: simd(0xf0),
  f64x2Sub: simd(0xf1),
  f64x2Mul: simd(0xf2),
} as const;

/** A SIMD instruction: the 0xfd prefix, its opcode, then its immediates. */
export function simd(opcode: number, ...immediates: number[]): Code {
  return [0xfd, ...unsigned(opcode), ...immediates];
}

/** One function of a module: its signature, extra locals and body. */
export interface FunctionCode {
  readonly exportName: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** Extra locals after the parameters, as [count, type] runs. */
  readonly locals: readonly (readonly [number, number])[];
  /** The instructions, without the final `end`. */
  readonly body: Code;
}

/**
 * A module that imports its memory as `env.memory` and exports `functions`
 * by name.
 *
 * @param functions the functions, each with its own type
 * @returns the module's bytes
 */
export function encodeModule(functions: readonly FunctionCode[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((
    fn,
  ) => [0x60, ...vector(fn.params.map((t) => [t])), ...vector(fn.results.map((t) => [t]))]);
  const memoryImport = [...name("env"), ...name("memory"), 0x02, 0x00, ...unsigned(1)];
  const bodies = functions.map((fn) => {
    const code = [
      ...vector(fn.locals.map(([count, type]) => [...unsigned(count), type])),
      ...fn.body,
      ...op.end,
    ];
    return [...unsigned(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((_, index) => unsigned(index)))),
    ...section(
      7,
      vector(functions.map((fn, index) => [...name(fn.exportName), 0x00, ...unsigned(index)])),
    ),
    ...section(10, vector(bodies)),
  ]);
}
