import assert from "node:assert/strict";
import { join } from "node:path";
import { runScript } from "./_commands.ts";
import { moduleTemporaryFolder, temporaryFolder } from "./_temp.ts";

function pipelineCommand(args: string[], env: Record<string, string> = {}) {
  return runScript("pipeline.ts", args, env);
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("pipeline --help prints the usage and exits 0", async () => {
  const result = await pipelineCommand(["--help"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /--set KEY=VALUE/);
  assert.match(result.stdout, /Stages: load, normalise/);
});

Deno.test("--help right after an option that takes a value is reported, not taken for help", async () => {
  const result = await pipelineCommand(["--set", "--help"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /Option '--set' argument is ambiguous/);
});

Deno.test("pipeline exits 2 and leaves no store behind on a configuration mistake", async (t) => {
  using temporary = temporaryFolder();
  const folder = temporary.path;
  const artifacts = join(folder, "artifacts");
  const cases: [string[], RegExp][] = [
    [
      ["--set", "load.limt=5"],
      /Unknown configuration key 'load\.limt' in --set load\.limt=5: did you mean 'load\.limit'\?/,
    ],
    [
      ["--set", "load.limit=0"],
      /'load\.limit' must be an integer ≥ 1 or null in --set load\.limit=0: current value is 0/,
    ],
    [["--set", "load.limit"], /--set expects KEY=VALUE/],
    [
      ["--config", join(folder, "none.json")],
      /Cannot read the configuration file '.*none\.json': no such file/,
    ],
    [
      ["--force", "nromalise"],
      /--force names unknown stage 'nromalise' \(did you mean 'normalise'\?\)/,
    ],
    [["--colour"], /Unknown option '--colour'/],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => {
      const result = await pipelineCommand([...args, "--artifacts", artifacts]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
      assert.equal(result.stdout, "");
      assert.ok(!exists(artifacts), "the artifacts folder is not created");
    });
  }
});

Deno.test("pipeline reports a configuration file that is not JSON, naming the file", async () => {
  using temporary = temporaryFolder();
  const folder = temporary.path;
  const file = join(folder, "broken.json");
  Deno.writeTextFileSync(file, '{ "cluster": { "k": 12, } }');
  const result = await pipelineCommand(["--config", file, "--artifacts", join(folder, "a")]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /The configuration file '.*broken\.json' is not valid JSON/);
});

Deno.test("pipeline takes the artifacts folder from ENCLUSTER_ARTIFACTS and explains a dry run", async () => {
  const artifacts = join(moduleTemporaryFolder(), "from-env");
  const result = await pipelineCommand(["--dry-run", "--json"], { ENCLUSTER_ARTIFACTS: artifacts });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.stages[0].name, "load");
  assert.equal(report.stages[0].status, "would run");
  assert.equal(report.stages[0].reason, "never run before");
  assert.ok(!exists(artifacts), "a dry run writes nothing");
});

Deno.test("pipeline exits 2 with a clear message when the artifacts folder cannot be created", async () => {
  using temporary = temporaryFolder();
  const folder = temporary.path;
  const blocker = join(folder, "file");
  Deno.writeTextFileSync(blocker, "not a folder");
  const result = await pipelineCommand(["--artifacts", join(blocker, "artifacts")]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /Cannot use '.*file\/artifacts' as the artifacts folder: .*Pass a writable folder/,
  );
});
