/**
 * The runner: evaluates a pipeline's stages in dependency order over a
 * store, serving each from the cache when its key is stored and running it
 * otherwise, and writes the run record.
 *
 * @module
 */
import { codeDigest } from "./code_digest.ts";
import type { Difference } from "./explain.ts";
import { describeReason, differences } from "./explain.ts";
import type { Fingerprint } from "./fingerprint.ts";
import { engineVersion, fingerprintKey } from "./fingerprint.ts";
import type { JsonValue, Stage, StageValue } from "./stage.ts";
import { StageInputs } from "./stage.ts";
import type { OutputEntry, RunRecord, StageOutcome, StageRecord, Store } from "./store/store.ts";
import { DamagedObjectError } from "./store/store.ts";
import { decodeValue, encodeValue } from "./store/value_codec.ts";
import { stageOrder } from "./stage_order.ts";
import { newRunId } from "./run_id.ts";

/** Where the project's code is, for the code part of cache keys. */
export interface ProjectCode {
  /** The project root: code files are named relative to it. */
  readonly root: string;
  /** deno.json `imports`: bare specifier → pinned version. */
  readonly importMap: Readonly<Record<string, string>>;
}

/** A stage in a dry run. */
export interface PlannedStage {
  readonly name: string;
  readonly status: "cached" | "would run";
  readonly reason: string;
}

/** One output of one stage: `{ stage: "evaluate", output: "metrics" }`. */
export interface OutputRef {
  readonly stage: string;
  readonly output: string;
}

/** What to run and how. */
export interface RunOptions {
  readonly stages: readonly Stage<never>[];
  /** The resolved configuration: sections of settings, and top-level settings. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The output (a JSON value) that the run record keeps as the run's metrics. */
  readonly metrics?: OutputRef;
  readonly configFile: string | null;
  readonly store: Store;
  readonly project: ProjectCode;
  /** Stages to run even when cached; "all" for every one. */
  readonly force?: ReadonlySet<string> | "all";
  /** Stderr lines: one per stage, and the stages' own progress. */
  readonly log: (line: string) => void;
  /** True when stderr is a terminal, for progress bars. */
  readonly interactive: boolean;
}

/**
 * One pipeline run over a store: evaluates the stages in dependency order,
 * serving each from the cache when its key is stored and running it
 * otherwise. The caller holds the store's lock.
 */
export class PipelineRun {
  readonly id = newRunId();
  readonly startedAt = new Date().toISOString();
  readonly outcomes: StageOutcome[] = [];
  readonly #records = new Map<string, StageRecord>();
  readonly #values = new Map<string, StageValue>();
  readonly #byName: Map<string, Stage<never>>;
  readonly #nameWidth: number;

  constructor(readonly options: RunOptions) {
    this.#byName = new Map(stageOrder(options.stages).map((stage) => [stage.name, stage]));
    this.#nameWidth = Math.max(...options.stages.map((stage) => stage.name.length));
  }

  /** Evaluates every stage, then writes and returns the run record. */
  async execute(): Promise<RunRecord> {
    const { store } = this.options;
    store.ensureLayout();
    store.clearTemporaryFiles();
    for (const stage of this.#byName.values()) await this.#evaluate(stage);
    const record: RunRecord = {
      id: this.id,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      configFile: this.options.configFile,
      config: this.options.config,
      stages: this.outcomes,
      metrics: await this.#metrics(),
    };
    store.writeRun(record);
    return record;
  }

  /**
   * What a run would do, without running or writing anything: each stage is
   * `cached`, or `would run` with its reason. A stage after one that would
   * run cannot know its key yet (the upstream output may come out the same).
   */
  plan(): PlannedStage[] {
    const planned: PlannedStage[] = [];
    const pending = new Set<string>();
    for (const stage of this.#byName.values()) {
      const waitingFor = stage.needs.filter((need) => pending.has(need));
      if (waitingFor.length > 0) {
        pending.add(stage.name);
        planned.push({
          name: stage.name,
          status: "would run",
          reason: `if ${waitingFor.join(", ")} output changes`,
        });
        continue;
      }
      const { fingerprint, cached, forced, missing } = this.#lookUp(stage);
      if (cached !== undefined && missing === undefined && !forced) {
        this.#records.set(stage.name, cached);
        planned.push({ name: stage.name, status: "cached", reason: "" });
        continue;
      }
      pending.add(stage.name);
      planned.push({
        name: stage.name,
        status: "would run",
        reason: describeReason(this.#why(stage, fingerprint, forced, missing)),
      });
    }
    return planned;
  }

  /** The record each stage was served from or produced, by stage name. */
  get records(): ReadonlyMap<string, StageRecord> {
    return this.#records;
  }

  /**
   * A stage output of this run, read from the store and checked against its
   * digest. A damaged object is moved aside and its stage re-run.
   */
  async value(stageName: string, output: string): Promise<StageValue> {
    const record = this.#records.get(stageName);
    const entry = record?.outputs[output];
    if (record === undefined || entry === undefined) {
      throw new Error(`No output '${output}' of stage '${stageName}' in this run`);
    }
    const remembered = this.#values.get(entry.digest);
    if (remembered !== undefined) return remembered;
    try {
      const value = decodeValue(entry.kind, this.options.store.readObject(entry.digest));
      this.#values.set(entry.digest, value);
      return value;
    } catch (error) {
      if (!(error instanceof DamagedObjectError || error instanceof Deno.errors.NotFound)) {
        throw error;
      }
      const problem = error instanceof DamagedObjectError ? "damaged" : "missing";
      this.options.log(
        `${stageName}.${output}: stored object ${entry.digest} is ${problem}; recomputing it`,
      );
      this.options.store.quarantineObject(entry.digest);
      const stage = this.#byName.get(stageName)!;
      await this.#run(stage, this.#fingerprint(stage), [{ kind: problem, output }], true);
      return this.value(stageName, output);
    }
  }

  async #evaluate(stage: Stage<never>): Promise<void> {
    const { fingerprint, key, cached, forced, missing } = this.#lookUp(stage);
    if (cached !== undefined && missing === undefined && !forced) {
      this.#records.set(stage.name, cached);
      this.options.store.markLastStageRecord(stage.name, key);
      this.#report({
        name: stage.name,
        key,
        status: "cached",
        reason: "",
        differences: [],
        seconds: 0,
      });
      return;
    }
    await this.#run(stage, fingerprint, this.#why(stage, fingerprint, forced, missing), false);
  }

  /** The stage's key now, its record under that key if any, and whether it must run anyway. */
  #lookUp(stage: Stage<never>) {
    const fingerprint = this.#fingerprint(stage);
    const key = fingerprintKey(fingerprint);
    const { store, force } = this.options;
    const forced = force === "all" || (force?.has(stage.name) ?? false);
    const cached = store.readStageRecord(stage.name, key);
    const missing = cached === undefined ? undefined : this.#missingOutput(cached);
    return { fingerprint, key, cached, forced, missing };
  }

  #why(
    stage: Stage<never>,
    fingerprint: Fingerprint,
    forced: boolean,
    missing: string | undefined,
  ): Difference[] {
    if (forced) return [{ kind: "forced" }];
    if (missing !== undefined) return [{ kind: "missing", output: missing }];
    return differences(this.options.store.lastStageRecord(stage.name)?.fingerprint, fingerprint);
  }

  async #run(
    stage: Stage<never>,
    fingerprint: Fingerprint,
    why: readonly Difference[],
    repair: boolean,
  ): Promise<void> {
    const { store, log } = this.options;
    const values: Record<string, Record<string, StageValue>> = {};
    for (const need of stage.needs) {
      values[need] = {};
      for (const output of Object.keys(this.#records.get(need)!.outputs)) {
        values[need][output] = await this.value(need, output);
      }
    }
    // Reading the inputs may have re-run a damaged upstream stage whose new
    // output differs; the key must describe the inputs actually used.
    fingerprint = this.#fingerprint(stage);
    const key = fingerprintKey(fingerprint);
    const scratchDir = store.scratchDir(stage.name, key);
    const notes: Record<string, JsonValue> = {};
    const started = performance.now();
    const outputs = await stage.run(new StageInputs(values), {
      config: this.#slice(stage) as never,
      log: (message) => log(`  ${stage.name}: ${message}`),
      note: (name, value) => {
        notes[name] = value;
      },
      scratchDir,
      interactive: this.options.interactive,
    });
    const seconds = (performance.now() - started) / 1000;
    const entries: Record<string, OutputEntry> = {};
    for (const [name, value] of Object.entries(outputs)) {
      const { kind, bytes } = encodeValue(value);
      const { digest, size } = store.putObject(bytes);
      entries[name] = { kind, digest, size };
      this.#values.set(digest, value);
    }
    const record: StageRecord = {
      stage: stage.name,
      key,
      fingerprint,
      outputs: entries,
      seconds,
      finishedAt: new Date().toISOString(),
      notes,
    };
    store.writeStageRecord(record);
    store.dropScratch(stage.name, key);
    this.#records.set(stage.name, record);
    const outcome: StageOutcome = {
      name: stage.name,
      key,
      status: "ran",
      reason: describeReason(why),
      differences: why,
      seconds,
    };
    if (repair) {
      const index = this.outcomes.findIndex((earlier) => earlier.name === stage.name);
      if (index >= 0) this.outcomes[index] = outcome;
      log(
        `${stage.name.padEnd(this.#nameWidth)}  re-ran — ${outcome.reason}  (${
          seconds.toFixed(1)
        } s)`,
      );
    } else {
      this.#report(outcome);
    }
  }

  #report(outcome: StageOutcome): void {
    this.outcomes.push(outcome);
    const name = outcome.name.padEnd(this.#nameWidth);
    this.options.log(
      outcome.status === "cached"
        ? `${name}  cached`
        : `${name}  ran — ${outcome.reason}  (${outcome.seconds.toFixed(1)} s)`,
    );
  }

  #fingerprint(stage: Stage<never>): Fingerprint {
    const inputs: Record<string, string> = {};
    for (const need of stage.needs) {
      const record = this.#records.get(need)!;
      for (const [output, entry] of Object.entries(record.outputs)) {
        inputs[`${need}.${output}`] = entry.digest;
      }
    }
    const { root, importMap } = this.options.project;
    const code = codeDigest(stage.source, root, importMap);
    return {
      stage: stage.name,
      config: this.#slice(stage),
      inputs,
      code: code.files,
      external: stage.external?.(this.#slice(stage) as never) ?? {},
      libraries: code.libraries,
      engine: engineVersion,
    };
  }

  #slice(stage: Stage<never>): Record<string, unknown> {
    const slice: Record<string, unknown> = {};
    for (const section of stage.reads) slice[section] = this.options.config[section];
    return slice;
  }

  #missingOutput(record: StageRecord): string | undefined {
    return Object.entries(record.outputs).find(([, entry]) => !this.options.store.hasObject(entry))
      ?.[0];
  }

  async #metrics(): Promise<JsonValue> {
    const from = this.options.metrics;
    if (from === undefined || this.#records.get(from.stage)?.outputs[from.output] === undefined) {
      return null;
    }
    return (await this.value(from.stage, from.output)) as JsonValue;
  }
}
