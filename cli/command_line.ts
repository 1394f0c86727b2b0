/**
 * How every command starts and ends: its arguments parsed strictly, with
 * `--help` alike everywhere, and its outcome turned into the exit code the
 * README promises (0 success, 2 usage or configuration error, 1 failure).
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config/config_error.ts";
import { errorMessage } from "../engine/error_message.ts";
import { NotAStoreError } from "../engine/store/store.ts";

/**
 * Runs a command's main function and turns its outcome into an exit code:
 * 0 on success, 2 for a {@link ConfigError} (the user's mistake: the message
 * alone, no stack), 1 for a failure while running.
 */
export async function runCommand(main: () => Promise<number | void>): Promise<never> {
  try {
    Deno.exit((await main()) ?? 0);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof NotAStoreError) {
      console.error(`error: ${error.message}`);
      Deno.exit(2);
    }
    console.error(`failed: ${errorMessage(error)}`);
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
    throw new ConfigError(`${errorMessage(error)}\n\n${usage}`);
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
