/** Runs the project's commands as a user would, in a subprocess. */

/** The permissions the project's tasks run with (deno.json). */
export const permissions = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
  "--allow-run",
];

/** What a command printed and how it exited. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deno run <script> ...args` with the tasks' permissions, where script
 * is `pipeline.ts` or one of `commands/*.ts`.
 */
export async function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CommandResult> {
  const path = new URL(`../${script}`, import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, path, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Starts `deno run pipeline.ts ...args` and returns the child, for kill tests. */
export function spawnPipeline(args: readonly string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, new URL("../pipeline.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** The tests' tiny configuration: the seed pipeline on 600 images for two epochs. */
export const TINY_CONFIG = new URL("./fixtures/tiny.json", import.meta.url).pathname;

/** Runs `pipeline.ts --config tiny.json --artifacts DIR --json ...args`. */
export function runTinyPipeline(artifacts: string, ...args: string[]): Promise<CommandResult> {
  return runScript("pipeline.ts", [
    "--config",
    TINY_CONFIG,
    "--artifacts",
    artifacts,
    "--json",
    ...args,
  ]);
}
