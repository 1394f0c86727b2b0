import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config/config_error.ts";

/**
 * Runs a command's main function and turns its outcome into an exit code:
 * 0 on success, 2 for a {@link ConfigError} (the user's mistake: the message
 * alone, no stack), 1 for a failure while running.
 */
export async function runCommand(main: () => Promise<number | void>): Promise<never> {
  try {
    Deno.exit((await main()) ?? 0);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      Deno.exit(2);
    }
    console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
    if (Deno.env.get("ENCLUSTER_DEBUG") && error instanceof Error) console.error(error.stack);
    Deno.exit(1);
  }
}

/**
 * `node:util` parseArgs, with unknown options and missing values reported as
 * a {@link ConfigError} that shows the usage. `--help` prints the usage and
 * exits 0, for every command alike.
 */
export function parseCommandLine<T extends ParseArgsConfig["options"]>(
  args: readonly string[],
  options: T,
  allowPositionals: boolean,
  usage: string,
) {
  if (asksForHelp(args, options)) {
    console.log(usage);
    Deno.exit(0);
  }
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${message}\n\n${usage}`);
  }
}

/**
 * Whether `--help` or `-h` appears as an option rather than as the value of
 * one (`--set --help` is a --set missing its value, reported as such).
 */
function asksForHelp(args: readonly string[], options: ParseArgsConfig["options"]): boolean {
  const { tokens } = parseArgs({
    args: [...args],
    options: { ...options, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  return tokens.some((token) => token.kind === "option" && token.name === "help");
}

/**
 * A path the user typed, made absolute against the folder they typed it in:
 * `deno task` runs in the project folder, and keeps the user's own in
 * `INIT_CWD`.
 */
export function userPath(path: string): string {
  return resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

/**
 * The artifacts folder: `--artifacts DIR`, else `$ENCLUSTER_ARTIFACTS`, else
 * `artifacts` in the current folder.
 */
export function artifactsFolder(flag: string | undefined): string {
  return userPath(flag ?? Deno.env.get("ENCLUSTER_ARTIFACTS") ?? "artifacts");
}

/**
 * Creates the artifacts folder if needed and checks that it can be written.
 *
 * @throws {ConfigError} naming the folder and the problem
 */
export function ensureWritableFolder(folder: string): void {
  try {
    Deno.mkdirSync(folder, { recursive: true });
    const probe = `${folder}/.write-probe-${Deno.pid}`;
    Deno.writeFileSync(probe, new Uint8Array());
    Deno.removeSync(probe);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `Cannot use '${folder}' as the artifacts folder: ${reason}. ` +
        `Pass a writable folder with --artifacts DIR or ENCLUSTER_ARTIFACTS.`,
    );
  }
}
