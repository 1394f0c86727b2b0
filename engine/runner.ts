/**
 * The runner: evaluates a pipeline's stages over a store, each as soon as
 * the stages it needs are done, serving it from the cache when its key is
 * stored and computing it otherwise (in a worker of its own, within the
 * process's core budget, holding the key's lock so no other run computes it
 * at the same time), and writes the run record, also when a stage fails.
 * It is one class of some 400 lines because its steps share the run's state
 * (the records and bytes so far); keys, failures, workers and the scheduler
 * are modules of their own.
 *
 * @module
 */
import type { CodeSnapshot } from "./key/code_digest.ts";
import type { ContentDigests } from "./key/data_digest.ts";
import type { Difference } from "./key/explain.ts";
import { describeReason, differences } from "./key/explain.ts";
import type { Fingerprint } from "./key/fingerprint.ts";
import { fingerprintKey } from "./key/fingerprint.ts";
import { configSlice, type StageBasis, stageFingerprint } from "./key/stage_fingerprint.ts";
import { describeFailure, isDamage, RunFailedError } from "./run_failure.ts";
import { runProvenance } from "./run_provenance.ts";
import { newRunId } from "./run_id.ts";
import { Scheduler } from "./scheduler.ts";
import type { JsonValue, Stage, StageValue } from "./stage.ts";
import { stageOrder } from "./stage_order.ts";
import type { EncodedValue } from "./stage_thread.ts";
import { runStageInWorker } from "./stage_thread.ts";
import { lockKey } from "./store/lock.ts";
import type {
  OutputEntry,
  RunGroup,
  RunRecord,
  StageOutcome,
  StageRecord,
} from "./store/records.ts";
import type { Store } from "./store/store.ts";
import { decodeValue } from "./store/value_codec.ts";

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
  /** The store; the caller holds its lock, shared. */
  readonly store: Store;
  /** The project's code as it was when the process started. */
  readonly code: CodeSnapshot;
  /** Data files' content digests, shared by the runs of a process. */
  readonly data: ContentDigests;
  /** The core budget, shared with the other runs of the process; one core when absent. */
  readonly scheduler?: Scheduler;
  /** Stages to run even when cached; "all" for every one. */
  readonly force?: ReadonlySet<string> | "all";
  /** Stderr lines: one per stage, and the stages' own progress. */
  readonly log: (line: string) => void;
  /** True when stderr is a terminal, for progress bars. */
  readonly interactive: boolean;
  /** The replicate group this run belongs to. */
  readonly group?: RunGroup;
}

/**
 * One pipeline run over a store. Stages are evaluated as their needs
 * finish; the run record is written at the end, `failed` when a stage threw.
 */
export class PipelineRun {
  readonly id = newRunId();
  readonly startedAt = new Date().toISOString();
  readonly outcomes: StageOutcome[] = [];
  readonly #records = new Map<string, StageRecord>();
  /** Verified bytes of every output this run read or made, by digest. */
  readonly #bytes = new Map<string, Uint8Array>();
  readonly #prepared = new Map<string, StageBasis>();
  /** Repairs of damaged objects under way or done, by the damaged object's digest. */
  readonly #repairs = new Map<string, Promise<void>>();
  readonly #byName: Map<string, Stage<never>>;
  readonly #nameWidth: number;
  readonly #scheduler: Scheduler;

  constructor(readonly options: RunOptions) {
    this.#byName = new Map(stageOrder(options.stages).map((stage) => [stage.name, stage]));
    this.#nameWidth = Math.max(...options.stages.map((stage) => stage.name.length));
    this.#scheduler = options.scheduler ?? new Scheduler(1);
  }

  /**
   * Resolves what every stage's key needs besides its inputs (code, data
   * files, environment), before anything runs, so that a backend that
   * cannot load or a data file that is missing stops the run at once.
   */
  async prepare(): Promise<void> {
    for (const stage of this.#byName.values()) {
      if (this.#prepared.has(stage.name)) continue;
      const config = this.#slice(stage) as never;
      const data: Record<string, string> = {};
      for (const file of (await stage.dataFiles?.(config)) ?? []) {
        data[file] = this.options.data.digest(file);
      }
      this.#prepared.set(stage.name, {
        code: this.options.code.of(stage.source),
        data,
        environment: (await stage.environment?.(config)) ?? {},
      });
    }
  }

  /**
   * Evaluates every stage, then writes and returns the run record.
   *
   * @throws {RunFailedError} when a stage failed (after writing the failed run's record)
   */
  async execute(): Promise<RunRecord> {
    const { store } = this.options;
    await this.prepare(); // a usage error here leaves the store as it was
    store.ensureLayout();
    let failure: unknown;
    try {
      const evaluations = new Map<string, Promise<void>>();
      const evaluate = (stage: Stage<never>): Promise<void> => {
        let evaluation = evaluations.get(stage.name);
        if (evaluation === undefined) {
          evaluation = Promise.all(stage.needs.map((need) => evaluate(this.#byName.get(need)!)))
            .then(() => this.#evaluate(stage));
          evaluations.set(stage.name, evaluation);
        }
        return evaluation;
      };
      const settled = await Promise.allSettled([...this.#byName.values()].map(evaluate));
      failure = settled.find((result) => result.status === "rejected")?.reason;
    } catch (error) {
      failure = error;
    }
    this.options.data.save((path, bytes) => store.writeFile(path, bytes));
    const record: RunRecord = {
      id: this.id,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      status: failure === undefined ? "succeeded" : "failed",
      ...(failure === undefined ? {} : { error: describeFailure(failure) }),
      configFile: this.options.configFile,
      config: this.options.config,
      stages: this.#orderedOutcomes(),
      metrics: failure === undefined ? await this.#metrics() : null,
      ...(this.options.group === undefined ? {} : { group: this.options.group }),
      provenance: runProvenance(this.#prepared),
    };
    store.writeRun(record);
    if (failure !== undefined) throw new RunFailedError(record, failure);
    return record;
  }

  /**
   * What a run would do, without running or writing anything: each stage is
   * `cached`, or `would run` with its reason. A stage after one that would
   * run cannot know its key yet (the upstream output may come out the same).
   */
  async plan(): Promise<PlannedStage[]> {
    await this.prepare();
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
   * A stage output of this run, decoded from its verified bytes (a fresh copy
   * for every call). A damaged or missing object is set aside and its stage
   * re-run.
   */
  async value(stageName: string, output: string): Promise<StageValue> {
    const { kind, bytes } = await this.#encoded(stageName, output);
    return decodeValue(kind, bytes.slice());
  }

  /** An output's kind and verified bytes, repairing a damaged object. */
  async #encoded(stageName: string, output: string): Promise<EncodedValue> {
    const record = this.#records.get(stageName);
    const entry = record?.outputs[output];
    if (record === undefined || entry === undefined) {
      throw new Error(`No output '${output}' of stage '${stageName}' in this run`);
    }
    const remembered = this.#bytes.get(entry.digest);
    if (remembered !== undefined) return { kind: entry.kind, bytes: remembered };
    try {
      const bytes = this.options.store.readObject(entry.digest);
      decodeValue(entry.kind, bytes); // a record whose bytes do not decode is damage too
      this.#bytes.set(entry.digest, bytes);
      return { kind: entry.kind, bytes };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) && error instanceof Error && !isDamage(error)) {
        throw error;
      }
      // Stages reading the same damaged object at once wait for one repair.
      let repair = this.#repairs.get(entry.digest);
      if (repair === undefined) {
        const problem = error instanceof Deno.errors.NotFound ? "missing" : "damaged";
        this.options.log(
          `${stageName}.${output}: stored object ${entry.digest} is ${problem}; recomputing it`,
        );
        this.options.store.quarantineObject(entry.digest);
        repair = this.#compute(this.#byName.get(stageName)!, [{ kind: problem, output }], true);
        this.#repairs.set(entry.digest, repair);
      }
      await repair;
      return this.#encoded(stageName, output);
    }
  }

  async #evaluate(stage: Stage<never>): Promise<void> {
    const { fingerprint, key, cached, forced, missing } = this.#lookUp(stage);
    if (cached !== undefined && missing === undefined && !forced) {
      this.#served(stage, key, cached);
      return;
    }
    await this.#compute(stage, this.#why(stage, fingerprint, forced, missing), false);
  }

  #served(stage: Stage<never>, key: string, record: StageRecord, note = ""): void {
    this.#records.set(stage.name, record);
    this.options.store.markLast(stage.name, key, record.fingerprint);
    this.#report({
      name: stage.name,
      key,
      status: "cached",
      reason: "",
      differences: [],
      seconds: 0,
      computedAt: record.finishedAt,
      computeSeconds: record.seconds,
    }, note);
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
    return differences(this.options.store.last(stage.name)?.fingerprint, fingerprint);
  }

  /**
   * Computes a stage under its key's lock: reads its inputs (repairing
   * damaged ones), takes the lock, and runs it unless another run stored the
   * key meanwhile; then stores the outputs and, unless the stage's code
   * changed while it ran, its record.
   */
  async #compute(stage: Stage<never>, why: readonly Difference[], repair: boolean): Promise<void> {
    const { store, log } = this.options;
    let started = performance.now();
    const inputs: Record<string, Record<string, EncodedValue>> = {};
    for (const need of stage.needs) {
      inputs[need] = {};
      for (const output of Object.keys(this.#records.get(need)!.outputs)) {
        inputs[need][output] = await this.#encoded(need, output);
      }
    }
    // Reading the inputs may have re-run a damaged upstream stage whose new
    // output differs; the key must describe the inputs actually used.
    const fingerprint = this.#fingerprint(stage);
    const key = fingerprintKey(fingerprint);
    const release = await lockKey(
      store.root,
      stage.name,
      key,
      () => log(`  ${stage.name}: waiting for another run computing the same key…`),
    );
    try {
      const forced = repair || why.some((difference) => difference.kind === "forced");
      const stored = store.readStageRecord(stage.name, key);
      if (!forced && stored !== undefined && this.#missingOutput(stored) === undefined) {
        this.#served(stage, key, stored, " (computed by another run meanwhile)");
        return;
      }
      const scratchDir = store.scratchDir(stage.name, key);
      const config = this.#slice(stage);
      const { outputs, notes } = await this.#scheduler.run(
        stage.cores?.(config as never) ?? 1,
        () => {
          // Seconds count from when the stage has its cores, not while it queued for them.
          started = performance.now();
          return runStageInWorker({
            source: stage.source,
            stage: stage.name,
            inputs,
            config,
            scratchDir,
            interactive: this.options.interactive,
            environment: this.#prepared.get(stage.name)!.environment,
          }, (message) => log(`  ${stage.name}: ${message}`));
        },
      ).catch((error) => {
        this.#report(
          {
            name: stage.name,
            key,
            status: "failed",
            reason: describeReason(why),
            differences: why,
            seconds: (performance.now() - started) / 1000,
            error: describeFailure(error),
          },
        );
        throw error;
      });
      const seconds = (performance.now() - started) / 1000;
      const entries: Record<string, OutputEntry> = {};
      for (const [name, { kind, bytes }] of Object.entries(outputs)) {
        const { digest, size } = store.putObject(bytes);
        entries[name] = { kind, digest, size };
        this.#bytes.set(digest, bytes);
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
      const edited = [
        ...this.options.code.changedSince(fingerprint.code),
        ...this.options.data.changedSince(fingerprint.data),
      ];
      if (edited.length === 0) store.writeStageRecord(record);
      else {
        store.markLast(stage.name, key, fingerprint);
        log(
          `  ${stage.name}: not cached — ${edited.join(", ")} changed while it ran; ` +
            "the next run computes it again",
        );
      }
      store.dropScratch(stage.name, key);
      this.#records.set(stage.name, record);
      const outcome: StageOutcome = {
        name: stage.name,
        key,
        status: "ran",
        reason: describeReason(why),
        differences: why,
        seconds,
        computedAt: record.finishedAt,
        computeSeconds: seconds,
        ...(edited.length === 0 ? {} : { recorded: false }),
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
    } finally {
      release();
    }
  }

  #report(outcome: StageOutcome, note = ""): void {
    this.outcomes.push(outcome);
    const name = outcome.name.padEnd(this.#nameWidth);
    const line = outcome.status === "cached"
      ? `${name}  cached${note}`
      : outcome.status === "failed"
      // Why is said once, at the end of the run, with the run's id.
      ? `${name}  failed  (${outcome.seconds.toFixed(1)} s)`
      : `${name}  ran — ${outcome.reason}  (${outcome.seconds.toFixed(1)} s)`;
    this.options.log(line);
  }

  /** The outcomes in the pipeline's declared order, whatever order they finished in. */
  #orderedOutcomes(): StageOutcome[] {
    const order = [...this.#byName.keys()];
    return [...this.outcomes].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  }

  #fingerprint(stage: Stage<never>): Fingerprint {
    const basis = this.#prepared.get(stage.name);
    if (basis === undefined) throw new Error(`Stage '${stage.name}' was not prepared`);
    return stageFingerprint(stage, this.options.config, this.#records, basis);
  }

  #slice(stage: Stage<never>): Record<string, unknown> {
    return configSlice(stage, this.options.config);
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
