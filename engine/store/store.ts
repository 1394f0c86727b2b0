/**
 * The content-addressed store under an artifacts folder: objects named by
 * their SHA-256, stage records under their cache keys, and run records.
 *
 * @module
 */
import { join } from "node:path";
import { sha256 } from "../sha256.ts";
import type { Difference } from "../explain.ts";
import type { Fingerprint } from "../fingerprint.ts";
import type { JsonValue } from "../stage.ts";
import type { ValueKind } from "./value_codec.ts";

/** Where one stage output lives in the store. */
export interface OutputEntry {
  readonly kind: ValueKind;
  /** SHA-256 of the object's bytes, computed once when it was written. */
  readonly digest: string;
  readonly size: number;
}

/** What the store keeps of one stage execution, under its cache key. */
export interface StageRecord {
  readonly stage: string;
  readonly key: string;
  readonly fingerprint: Fingerprint;
  readonly outputs: Readonly<Record<string, OutputEntry>>;
  readonly seconds: number;
  readonly finishedAt: string;
  /** Facts the stage noted (loss per epoch, re-seeded clusters). */
  readonly notes: Readonly<Record<string, JsonValue>>;
}

/** How one stage fared in a run. */
export interface StageOutcome {
  readonly name: string;
  readonly key: string;
  readonly status: "ran" | "cached";
  /** The reason in words: "cluster.k changed 10 → 12", or "" when cached. */
  readonly reason: string;
  /** The same reason as data. */
  readonly differences: readonly Difference[];
  readonly seconds: number;
}

/** What the store keeps of one pipeline run. */
export interface RunRecord {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The configuration file the run started from, as given. */
  readonly configFile: string | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly stages: readonly StageOutcome[];
  /** The `metrics` output of the evaluating stage, when there is one. */
  readonly metrics: JsonValue;
}

/** A stored object whose bytes no longer match its digest. */
export class DamagedObjectError extends Error {
  override readonly name = "DamagedObjectError";
  constructor(readonly digest: string, readonly found: string) {
    super(`object ${digest} is damaged: its bytes hash to ${found}`);
  }
}

/**
 * The content-addressed store under an artifacts folder:
 * `objects/<sha256>` blobs, `stages/<stage>/<key>.json` stage records and
 * `runs/<id>.json` run records. Every file is written to a temporary name
 * and renamed, so a crash never leaves a half-written one in place.
 */
export class Store {
  /** Called with a line for each damaged record that is skipped. */
  warn: (message: string) => void = (message) => console.error(`warning: ${message}`);

  constructor(readonly root: string) {}

  /** Creates the folders; the caller holds the lock. */
  ensureLayout(): void {
    for (const folder of ["objects", "stages", "runs", "tmp"]) {
      Deno.mkdirSync(join(this.root, folder), { recursive: true });
    }
  }

  /** Removes temporary files left by killed runs; the caller holds the lock. */
  clearTemporaryFiles(): void {
    const tmp = join(this.root, "tmp");
    for (const entry of readDirIfExists(tmp)) {
      Deno.removeSync(join(tmp, entry.name), { recursive: true });
    }
  }

  /**
   * Creates (or finds, after a killed run) the stage's working folder
   * `scratch/<stage>/<key>`, where it keeps checkpoints until it finishes.
   *
   * @returns the folder's path
   */
  scratchDir(stage: string, key: string): string {
    const dir = join(this.root, "scratch", stage, key);
    Deno.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Removes a finished stage's working folder, and `scratch/<stage>` and
   * `scratch` themselves once empty, so a store holds no leftover folders.
   */
  dropScratch(stage: string, key: string): void {
    Deno.removeSync(join(this.root, "scratch", stage, key), { recursive: true });
    for (const folder of [join(this.root, "scratch", stage), join(this.root, "scratch")]) {
      try {
        Deno.removeSync(folder); // refuses while another stage's work is in there
      } catch {
        return;
      }
    }
  }

  /** Path of the object named `digest`. */
  objectPath(digest: string): string {
    return join(this.root, "objects", digest);
  }

  /**
   * Stores bytes as an object named by their SHA-256, unless it is there.
   *
   * @returns the digest and size
   */
  putObject(bytes: Uint8Array): { digest: string; size: number } {
    const digest = sha256(bytes);
    if (!this.hasObject({ digest, size: bytes.length })) {
      this.#writeAtomically(this.objectPath(digest), bytes);
    }
    return { digest, size: bytes.length };
  }

  /** True when the object exists with the recorded size (no hashing). */
  hasObject(entry: { digest: string; size: number }): boolean {
    try {
      return Deno.statSync(this.objectPath(entry.digest)).size === entry.size;
    } catch {
      return false;
    }
  }

  /**
   * Reads an object and checks its bytes against its name.
   *
   * @throws {DamagedObjectError} when they do not match
   * @throws {Deno.errors.NotFound} when it is missing
   */
  readObject(digest: string): Uint8Array {
    const bytes = Deno.readFileSync(this.objectPath(digest));
    const found = sha256(bytes);
    if (found !== digest) throw new DamagedObjectError(digest, found);
    return bytes;
  }

  /** Moves a damaged object aside (to `damaged/`) so it is never read again. */
  quarantineObject(digest: string): void {
    const folder = join(this.root, "damaged");
    Deno.mkdirSync(folder, { recursive: true });
    try {
      Deno.renameSync(this.objectPath(digest), join(folder, `${digest}.${Date.now()}`));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }

  /** Every object's digest. */
  listObjects(): string[] {
    return readDirIfExists(join(this.root, "objects")).filter((e) => e.isFile).map((e) => e.name);
  }

  /** The record of `stage` under `key`, or undefined (a damaged one is reported and skipped). */
  readStageRecord(stage: string, key: string): StageRecord | undefined {
    const path = join(this.root, "stages", stage, `${key}.json`);
    const valid = (value: unknown): value is StageRecord =>
      isStageRecord(value) && value.key === key;
    return this.#readJson(path, "stage record", valid);
  }

  /** Writes a stage record, and marks it as the stage's last one. */
  writeStageRecord(record: StageRecord): void {
    const folder = join(this.root, "stages", record.stage);
    Deno.mkdirSync(folder, { recursive: true });
    this.#writeJson(join(folder, `${record.key}.json`), record);
    this.markLastStageRecord(record.stage, record.key);
  }

  /** Remembers `key` as the record the stage's next miss is explained against. */
  markLastStageRecord(stage: string, key: string): void {
    const folder = join(this.root, "stages", stage);
    Deno.mkdirSync(folder, { recursive: true });
    this.#writeJson(join(folder, "last"), { key });
  }

  /** The record the stage last ran or was served from, if any. */
  lastStageRecord(stage: string): StageRecord | undefined {
    const pointer = this.#readJson(
      join(this.root, "stages", stage, "last"),
      "last-record pointer",
      (value): value is { key: string } => hasFields(value, { key: "string" }),
    );
    return pointer === undefined ? undefined : this.readStageRecord(stage, pointer.key);
  }

  /** Every stage record in the store (damaged ones reported and skipped). */
  listStageRecords(): StageRecord[] {
    const records: StageRecord[] = [];
    for (const stage of readDirIfExists(join(this.root, "stages")).filter((e) => e.isDirectory)) {
      for (const file of readDirIfExists(join(this.root, "stages", stage.name))) {
        if (!file.name.endsWith(".json")) continue;
        const record = this.readStageRecord(stage.name, file.name.slice(0, -".json".length));
        if (record !== undefined) records.push(record);
      }
    }
    return records;
  }

  /** Writes a run record. */
  writeRun(record: RunRecord): void {
    Deno.mkdirSync(join(this.root, "runs"), { recursive: true });
    this.#writeJson(join(this.root, "runs", `${record.id}.json`), record);
  }

  /**
   * Writes a sweep record (`sweeps/<id>.json`) and its files
   * (`sweeps/<id>/<name>`), and returns the folder of the files.
   */
  writeSweep(id: string, record: JsonValue, files: ReadonlyMap<string, Uint8Array>): string {
    const folder = join(this.root, "sweeps", id);
    Deno.mkdirSync(folder, { recursive: true });
    for (const [name, bytes] of files) this.#writeAtomically(join(folder, name), bytes);
    this.#writeJson(join(this.root, "sweeps", `${id}.json`), record);
    return folder;
  }

  /** The run record `id`, or undefined. */
  readRun(id: string): RunRecord | undefined {
    return this.#readJson(join(this.root, "runs", `${id}.json`), "run record", isRunRecord);
  }

  /** Every readable run record, oldest first. */
  listRuns(): RunRecord[] {
    return readDirIfExists(join(this.root, "runs"))
      .filter((entry) => entry.name.endsWith(".json"))
      .map((entry) => entry.name.slice(0, -".json".length))
      .sort()
      .map((id) => this.readRun(id))
      .filter((run): run is RunRecord => run !== undefined);
  }

  #readJson<T>(path: string, what: string, valid: (value: unknown) => value is T): T | undefined {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (valid(value)) return value;
    this.warn(`skipping damaged ${what} ${path}`);
    return undefined;
  }

  #writeJson(path: string, value: unknown): void {
    this.#writeAtomically(path, new TextEncoder().encode(JSON.stringify(value, null, 1)));
  }

  #writeAtomically(path: string, bytes: Uint8Array): void {
    const tmpFolder = join(this.root, "tmp");
    Deno.mkdirSync(tmpFolder, { recursive: true });
    const temporary = join(tmpFolder, `${crypto.randomUUID()}`);
    Deno.writeFileSync(temporary, bytes);
    Deno.renameSync(temporary, path);
  }
}

/** True when `value` is an object whose named fields have the given `typeof`. */
function hasFields(value: unknown, fields: Record<string, string>): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(fields).every(([name, type]) =>
    typeof record[name] === type && record[name] !== null
  );
}

function isStageRecord(value: unknown): value is StageRecord {
  if (
    !hasFields(value, { stage: "string", key: "string", fingerprint: "object", outputs: "object" })
  ) {
    return false;
  }
  return Object.values((value as StageRecord).outputs).every((entry) =>
    hasFields(entry, { kind: "string", digest: "string", size: "number" })
  );
}

function isRunRecord(value: unknown): value is RunRecord {
  return hasFields(value, { id: "string", startedAt: "string", config: "object" }) &&
    Array.isArray((value as RunRecord).stages) &&
    (value as RunRecord).stages.every((stage) =>
      hasFields(stage, { name: "string", key: "string", status: "string" })
    );
}

function readDirIfExists(path: string): Deno.DirEntry[] {
  try {
    return [...Deno.readDirSync(path)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}
