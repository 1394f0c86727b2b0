/**
 * Runs one Slurm client command (`sbatch`, `squeue`, `scancel`, `sinfo`) and
 * keeps what it printed, so that every failure can name the command line and
 * quote Slurm's own words.
 *
 * @module
 */
import { shellWord } from "./_shell_word.ts";
import { errorMessage } from "../engine/error_message.ts";

/** How a command ended and what it printed. */
export interface CommandOutput {
  /** The command line, quoted for a shell, for messages. */
  readonly commandLine: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The time limit in milliseconds when the command was killed for passing it, else undefined. */
  readonly timedOut: number | undefined;
}

/**
 * Runs `command` with `args`, without a shell.
 *
 * @param command the program, found on `PATH`
 * @param args its arguments
 * @param timeoutMs kill the command after this long (then `timedOut` is set)
 * @returns the exit code and output, whatever the exit code
 * @throws {Error} when the program cannot be started at all (not installed, no `--allow-run`)
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<CommandOutput> {
  const commandLine = [command, ...args].map(shellWord).join(" ");
  const timeout = AbortSignal.timeout(timeoutMs);
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(command, {
      args: [...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: timeout,
    }).output();
  } catch (error) {
    const why = errorMessage(error);
    throw new Error(`cannot run \`${commandLine}\`: ${why}`);
  }
  const decoder = new TextDecoder();
  return {
    commandLine,
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
    timedOut: timeout.aborted ? timeoutMs : undefined,
  };
}

/**
 * Like {@link runCommand}, for commands that must succeed.
 *
 * @returns the command's stdout
 * @throws {Error} naming the command line, its exit code and its stderr when it exits non-zero
 */
export async function runCommandOrThrow(
  command: string,
  args: readonly string[],
  timeoutMs?: number,
): Promise<string> {
  const output = await runCommand(command, args, timeoutMs);
  if (output.code !== 0) throw new Error(commandFailure(output));
  return output.stdout;
}

/** "`sbatch --parsable …` failed with exit code 1: sbatch: error: …" */
export function commandFailure(output: CommandOutput): string {
  const said = output.stderr.trim() || output.stdout.trim() || "(it printed nothing)";
  if (output.timedOut !== undefined) {
    return `\`${output.commandLine}\` did not end within ${
      output.timedOut / 1000
    } s and was killed: ${said}`;
  }
  return `\`${output.commandLine}\` failed with exit code ${output.code}: ${said}`;
}
