/**
 * Just enough of the WebAssembly binary format to write the SIMD kernels of
 * k-means (`kmeans/_wasm.ts`) and of the nearest-neighbour search
 * (`_nearest_neighbours_scan.ts`) as readable instruction lists: numbers in
 * LEB128, sections, the opcodes they use (names as in the WebAssembly
 * specification), the pieces of code both kernels are made of (a pointer
 * loop, a squared difference, an increment), and compiling and
 * instantiating a module over its own memory. Both kernels are built from
 * these, so each piece is written once.
 *
 * @module
 */

/** Bytes of one or more instructions. */
export type Code = number[];

/** The value type of 32-bit integers (and addresses). */
export const i32 = 0x7f;
/** The value type of 64-bit floats. */
export const f64 = 0x7c;
/** The value type of 32-bit floats. */
export const f32 = 0x7d;
/** The value type of 128-bit SIMD vectors. */
export const v128 = 0x7b;

/** Bytes in a page of WebAssembly memory. */
const PAGE_BYTES = 65536;
/** The most memory a kernel asks for: wasm32 addresses 4 GiB; stay well inside it. */
export const MAX_MEMORY_BYTES = 2 ** 31;

/** An unsigned LEB128 number. */
function unsigned(value: number): Code {
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
function signed(value: number): Code {
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
function vector(items: Code[]): Code {
  return [...unsigned(items.length), ...items.flat()];
}

/** A name (UTF-8 here is ASCII). */
function name(text: string): Code {
  return vector([...text].map((character) => [character.charCodeAt(0)]));
}

/** A section: id, byte length, contents. */
function section(id: number, contents: Code): Code {
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
  /** `block`, `loop` and `if` without results; close each with `end`. */
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number): Code => [0x0c, ...unsigned(depth)],
  brIf: (depth: number): Code => [0x0d, ...unsigned(depth)],
  /** i32.store with 4-byte alignment at a constant offset. */
  i32Store: (offset: number): Code => [0x36, 2, ...unsigned(offset)],
  /** f64.store with 8-byte alignment at a constant offset. */
  f64Store: (offset: number): Code => [0x39, 3, ...unsigned(offset)],
  /** v128.load with the given alignment (log2 bytes) at a constant offset. */
  v128Load: (alignLog2: number, offset: number): Code => simd(0x00, alignLog2, ...unsigned(offset)),
  /** v128.load32_splat: one f32 from memory into all four lanes (4-byte alignment). */
  v128Load32Splat: (offset: number): Code => simd(0x09, 2, ...unsigned(offset)),
  /** v128.store with 16-byte alignment at a constant offset. */
  v128Store: (offset: number): Code => simd(0x0b, 4, ...unsigned(offset)),
  /** Lanes 2 and 3 of a f32x4 moved to lanes 0 and 1 (i8x16.shuffle of a vector with itself). */
  highHalfToLow: simd(0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7),
  f32x4Splat: simd(0x13),
  f64x2ExtractLane: (lane: number): Code => simd(0x21, lane),
  f32x4Le: simd(0x45),
  v128AnyTrue: simd(0x53),
  f64x2PromoteLowF32x4: simd(0x5f),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f64x2Add: simd(0xf0),
  f64x2Sub: simd(0xf1),
  f64x2Mul: simd(0xf2),
} as const;

/** The lane-wise arithmetic of one vector shape, for {@link squaredDifference}. */
export interface Lanes {
  /** Lane-wise subtraction. */
  readonly sub: Code;
  /** Lane-wise multiplication. */
  readonly mul: Code;
}

/** Two float64 lanes per vector (the k-means kernel). */
export const f64x2: Lanes = { sub: op.f64x2Sub, mul: op.f64x2Mul };
/** Four float32 lanes per vector (the nearest-neighbour scan). */
export const f32x4: Lanes = { sub: op.f32x4Sub, mul: op.f32x4Mul };

/**
 * (a − b)², lane by lane, left on the stack: `a` and `b` each push one
 * vector; `scratch` is a v128 local the difference passes through.
 */
export function squaredDifference(a: Code, b: Code, lanes: Lanes, scratch: number): Code {
  return [
    ...a,
    ...b,
    ...lanes.sub,
    ...op.localTee(scratch),
    ...op.localGet(scratch),
    ...lanes.mul,
  ];
}

/** Adds the constant `amount` to the i32 local `local`. */
export function increment(local: number, amount: number): Code {
  return [...op.localGet(local), ...op.i32Const(amount), ...op.i32Add, ...op.localSet(local)];
}

/**
 * Runs `body` while the i32 local `pointer` is below the local `end`
 * (unsigned), testing before each pass; `body` moves the pointer on.
 */
export function whileBelow(pointer: number, end: number, body: Code): Code {
  return [
    ...op.block,
    ...op.loop,
    ...op.localGet(pointer),
    ...op.localGet(end),
    ...op.i32GeU,
    ...op.brIf(1),
    ...body,
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/** A SIMD instruction: the 0xfd prefix, its opcode, then its immediates. */
function simd(opcode: number, ...immediates: number[]): Code {
  return [0xfd, ...unsigned(opcode), ...immediates];
}

/** One function of a module: its signature, extra locals and body. */
export interface FunctionCode {
  /** The name the module exports it under. */
  readonly exportName: string;
  /** The value types of its parameters (locals 0, 1, …). */
  readonly params: readonly number[];
  /** The value types of its results. */
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
function encodeModule(functions: readonly FunctionCode[]): Uint8Array<ArrayBuffer> {
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

/**
 * Compiles `functions` into a module (see {@link encodeModule}).
 *
 * @param functions the module's functions
 * @returns the module, or null where the runtime has no WebAssembly SIMD
 * @example
 * ```ts
 * import { compileModule, i32, instantiate, op } from "./wasm_module.ts";
 *
 * const module = compileModule([{
 *   exportName: "double",
 *   params: [i32],
 *   results: [i32],
 *   locals: [],
 *   body: [...op.localGet(0), ...op.localGet(0), ...op.i32Add],
 * }]);
 * const { instance } = instantiate(module!, 1);
 * const double = instance.exports.double as (value: number) => number;
 * if (double(21) !== 42) throw new Error();
 * ```
 */
export function compileModule(functions: readonly FunctionCode[]): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(encodeModule(functions));
  } catch {
    return null;
  }
}

/**
 * An instance of `module` over a new memory of at least `bytes` bytes,
 * given to it as `env.memory`.
 *
 * @param module a module from {@link compileModule}
 * @param bytes the memory the instance needs
 * @returns the instance and its memory
 */
export function instantiate(
  module: WebAssembly.Module,
  bytes: number,
): { instance: WebAssembly.Instance; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
  return { instance: new WebAssembly.Instance(module, { env: { memory } }), memory };
}
