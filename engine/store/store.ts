/**
 * The content-addressed store under an artifacts folder:
 *
 * - `objects/<sha256>`: every stage output, named by the digest of its bytes;
 * - `stages/<stage>/<key>.json`: stage records, under their cache keys;
 * - `runs/<id>.json`: run records; `sweeps/`: sweep records and figures;
 * - `scratch/<stage>/<key>/`: a stage's checkpoints while it runs;
 * - `damaged/`: objects and records found damaged, set aside, never read;
 * - `tmp/<process>/`: each process's half-written files;
 * - `encluster-store.json`: the mark that this folder is a store.
 *
 * Every file is written to a temporary name, flushed and renamed, so a crash
 * leaves the old file or the whole new one. Records carry a digest of their
 * content and are checked when read; objects are checked against their name
 * when read. Locks are in `lock.ts`; the caller holds them.
 *
 * @module
 */
import { join } from "node:path";
import { sha256 } from "../key/sha256.ts";
import type { JsonValue } from "../stage.ts";
import { syncFolder, writeFileAtomically } from "./atomic_file.ts";
import { isSealed, seal } from "./record_seal.ts";
import type { Fingerprint } from "../key/fingerprint.ts";
import type { RunRecord, StageRecord } from "./records.ts";
import { hasFields, isRunRecord, isStageRecord } from "./records.ts";
import { exists, readDirIfExists, removeIfExists } from "./_files.ts";

/** A stored object whose bytes no longer match its digest. */
export class DamagedObjectError extends Error {
  override readonly name = "DamagedObjectError";
  constructor(readonly digest: string, readonly found: string) {
    super(`object ${digest} is damaged: its bytes hash to ${found}`);
  }
}

/** A folder that a command expected to be a store and is not. */
export class NotAStoreError extends Error {
  override readonly name = "NotAStoreError";
}

/** The file that marks a folder as a store. */
const markFile = "encluster-store.json";

/** Whether this process may change the store, or only read and report. */
export interface StoreOptions {
  /** True for checks (`verify`): damage is reported, nothing is moved or written. */
  readonly readOnly?: boolean;
}

/**
 * The store under `root`. Methods that write assume the caller holds the
 * store lock (shared for runs, exclusive for garbage collection).
 */
export class Store {
  /** Called with a line for each damaged record that is set aside or skipped. */
  warn: (message: string) => void = (message) => console.error(`warning: ${message}`);
  readonly readOnly: boolean;
  #tmpFolder: string | undefined;

  constructor(readonly root: string, options: StoreOptions = {}) {
    this.readOnly = options.readOnly ?? false;
  }

  /** True when `root` holds a store (its mark, or the folders of an older one). */
  isStore(): boolean {
    return exists(join(this.root, markFile)) ||
      (exists(join(this.root, "objects")) && exists(join(this.root, "runs")));
  }

  /**
   * Checks that `root` is a store.
   *
   * @throws {NotAStoreError} naming the folder when it is not
   */
  requireStore(): void {
    if (this.isStore()) return;
    throw new NotAStoreError(
      `'${this.root}' is not an encluster store (no ${markFile}, objects/ or runs/ in it): ` +
        "name the artifacts folder a pipeline ran with, with --artifacts DIR or " +
        "ENCLUSTER_ARTIFACTS",
    );
  }

  /** Creates the folders and the mark. */
  ensureLayout(): void {
    for (const folder of ["objects", "stages", "runs", "tmp", "cache"]) {
      Deno.mkdirSync(join(this.root, folder), { recursive: true });
    }
    if (!exists(join(this.root, markFile))) {
      this.#writeJson(join(this.root, markFile), { format: "encluster store" });
    }
  }

  /**
   * This process's folder for half-written files, `tmp/<pid>-<id>`: one per
   * process, so that removing leftovers never touches another's live write.
   */
  get tmpFolder(): string {
    if (this.#tmpFolder === undefined) {
      const name = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
      this.#tmpFolder = join(this.root, "tmp", name);
      Deno.mkdirSync(this.#tmpFolder, { recursive: true });
    }
    return this.#tmpFolder;
  }

  /** Removes this process's temporary folder; the store can still be used afterwards. */
  close(): void {
    if (this.#tmpFolder === undefined) return;
    removeIfExists(this.#tmpFolder);
    this.#tmpFolder = undefined;
  }

  /**
   * Removes every other process's temporary folder: what killed runs left
   * half-written. Only for `gc`, under the exclusive store lock, when no
   * other process can be writing.
   *
   * @returns the folders removed
   */
  removeOtherTemporaries(): string[] {
    const removed: string[] = [];
    for (const entry of readDirIfExists(join(this.root, "tmp"))) {
      const path = join(this.root, "tmp", entry.name);
      if (path === this.#tmpFolder) continue;
      removeIfExists(path);
      removed.push(entry.name);
    }
    return removed;
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
    removeIfExists(join(this.root, "scratch", stage, key));
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
   * Stores bytes as an object named by their SHA-256. An object already
   * there is checked first and replaced when damaged, so a good copy is
   * never thrown away in favour of a bad one.
   *
   * @returns the digest and size
   */
  putObject(bytes: Uint8Array): { digest: string; size: number } {
    const digest = sha256(bytes);
    const path = this.objectPath(digest);
    let whole = false;
    try {
      whole = sha256(Deno.readFileSync(path)) === digest;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (!whole) {
      if (exists(path)) this.quarantineObject(digest);
      writeFileAtomically(path, bytes, this.tmpFolder);
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

  /** Moves a damaged object aside (to `damaged/objects/`) so it is never read again. */
  quarantineObject(digest: string): void {
    this.#setAside(this.objectPath(digest), join("objects", digest));
  }

  /** Every object's digest. */
  listObjects(): string[] {
    return readDirIfExists(join(this.root, "objects")).filter((e) => e.isFile).map((e) => e.name);
  }

  /**
   * The record of `stage` under `key`, or undefined. A damaged one (not
   * JSON, not a record, or its digest does not match its content) is set
   * aside in `damaged/` with a warning, and undefined returned.
   */
  readStageRecord(stage: string, key: string): StageRecord | undefined {
    const path = join(this.root, "stages", stage, `${key}.json`);
    const valid = (value: unknown): value is StageRecord =>
      isStageRecord(value) && value.key === key && value.stage === stage && isSealed(value);
    return this.#readRecord(path, join("stages", stage, `${key}.json`), "stage record", valid);
  }

  /** Writes a stage record (sealed with its digest), and marks it as the stage's last one. */
  writeStageRecord(record: StageRecord): void {
    const folder = join(this.root, "stages", record.stage);
    Deno.mkdirSync(folder, { recursive: true });
    this.#writeJson(join(folder, `${record.key}.json`), seal(record));
    this.markLast(record.stage, record.key, record.fingerprint);
  }

  /**
   * Remembers what the stage last ran or was served with, so its next miss
   * is explained against it: the key and its fingerprint (kept even when no
   * record was written under the key, so the explanation still names what
   * changed).
   */
  markLast(stage: string, key: string, fingerprint: Fingerprint): void {
    const folder = join(this.root, "stages", stage);
    Deno.mkdirSync(folder, { recursive: true });
    this.#writeJson(join(folder, "last"), { key, fingerprint });
  }

  /** The key and fingerprint the stage last ran or was served with, if any. */
  last(stage: string): { key: string; fingerprint: Fingerprint } | undefined {
    const pointer = readJson(join(this.root, "stages", stage, "last"));
    if (!hasFields(pointer, { key: "string", fingerprint: "object" })) return undefined;
    return pointer as { key: string; fingerprint: Fingerprint };
  }

  /** Every readable stage record in the store (damaged ones set aside, with a warning). */
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

  /** Writes a run record, sealed with its digest. */
  writeRun(record: RunRecord): void {
    Deno.mkdirSync(join(this.root, "runs"), { recursive: true });
    this.#writeJson(join(this.root, "runs", `${record.id}.json`), seal(record));
  }

  /**
   * Removes a run record (the stage records and objects it used stay until
   * `gc` finds nothing else needs them).
   *
   * @returns false when there was no such run
   */
  removeRun(id: string): boolean {
    const path = join(this.root, "runs", `${id}.json`);
    if (!exists(path)) return false;
    Deno.removeSync(path);
    syncFolder(join(this.root, "runs"));
    return true;
  }

  /**
   * Writes a sweep record (`sweeps/<id>.json`) and its files
   * (`sweeps/<id>/<name>`), and returns the folder of the files.
   */
  writeSweep(id: string, record: JsonValue, files: ReadonlyMap<string, Uint8Array>): string {
    const folder = join(this.root, "sweeps", id);
    Deno.mkdirSync(folder, { recursive: true });
    for (const [name, bytes] of files) {
      writeFileAtomically(join(folder, name), bytes, this.tmpFolder);
    }
    this.#writeJson(join(this.root, "sweeps", `${id}.json`), record);
    return folder;
  }

  /** The run record `id`, or undefined (a damaged one is set aside with a warning). */
  readRun(id: string): RunRecord | undefined {
    const valid = (value: unknown): value is RunRecord =>
      isRunRecord(value) && value.id === id && isSealed(value);
    return this.#readRecord(
      join(this.root, "runs", `${id}.json`),
      join("runs", `${id}.json`),
      "run record",
      valid,
    );
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

  /**
   * The cache keys named anywhere in the run records set aside as damaged:
   * what they referenced cannot be read exactly, so `gc` keeps every record
   * whose key appears in them.
   */
  keysInDamagedRuns(): Set<string> {
    const keys = new Set<string>();
    for (const entry of readDirIfExists(join(this.root, "damaged", "runs"))) {
      const text = Deno.readTextFileSync(join(this.root, "damaged", "runs", entry.name));
      for (const match of text.matchAll(/[0-9a-f]{64}/g)) keys.add(match[0]);
    }
    return keys;
  }

  #readRecord<T>(
    path: string,
    relativePath: string,
    what: string,
    valid: (value: unknown) => value is T,
  ): T | undefined {
    const value = readJson(path);
    if (value === undefined) return undefined;
    if (valid(value)) return value;
    if (this.readOnly) {
      this.warn(`damaged ${what} ${path}: skipped`);
    } else {
      const aside = this.#setAside(path, relativePath);
      this.warn(`damaged ${what} ${path}${aside === undefined ? "" : ` set aside as ${aside}`}`);
    }
    return undefined;
  }

  /** Moves a damaged file under `damaged/`, keeping earlier ones; returns its new path. */
  #setAside(path: string, relativePath: string): string | undefined {
    if (this.readOnly) return undefined;
    const target = join(this.root, "damaged", `${relativePath}.${Date.now()}`);
    Deno.mkdirSync(join(target, ".."), { recursive: true });
    try {
      Deno.renameSync(path, target);
      return target;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  }

  /**
   * Writes a file of the store (a cache, a figure) atomically.
   *
   * @param path the file, inside the store
   * @param bytes its contents
   */
  writeFile(path: string, bytes: Uint8Array): void {
    if (this.readOnly) throw new Error(`This store is open read-only; cannot write ${path}`);
    writeFileAtomically(path, bytes, this.tmpFolder);
  }

  /** Where the fast path of data files' content digests is kept. */
  get dataDigestsFile(): string {
    return join(this.root, "cache", "data-digests.json");
  }

  #writeJson(path: string, value: unknown): void {
    if (this.readOnly) throw new Error(`This store is open read-only; cannot write ${path}`);
    const bytes = new TextEncoder().encode(JSON.stringify(value, null, 1));
    writeFileAtomically(path, bytes, this.tmpFolder);
  }
}

/** What {@link readJson} returns for a file that is there but is not JSON. */
const unparsable = Symbol("unparsable");

/** A JSON file's value: undefined when it is missing, {@link unparsable} when it is not JSON. */
function readJson(path: string): unknown {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    return unparsable;
  }
}
