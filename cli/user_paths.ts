/**
 * Paths the user gives on the command line, resolved against the folder they
 * typed them in, and the artifacts folder they choose.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { projectRoot } from "./project_root.ts";
import { ConfigError } from "../config/config_error.ts";
import { errorMessage } from "../engine/error_message.ts";

/**
 * A path the user typed, made absolute against the folder they typed it in:
 * `deno task` runs in the project folder, and keeps the user's own in
 * `INIT_CWD`.
 */
export function userPath(path: string): string {
  return resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), path);
}

/**
 * The artifacts folder: `--artifacts DIR`, else `$ENCLUSTER_ARTIFACTS` (both
 * relative to the folder the user is in), else `artifacts/` next to
 * deno.json, wherever the command is run from, so every command finds the
 * same store.
 */
export function artifactsFolder(flag: string | undefined): string {
  const chosen = flag ?? Deno.env.get("ENCLUSTER_ARTIFACTS");
  return chosen === undefined ? join(projectRoot, "artifacts") : userPath(chosen);
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
    throw new ConfigError(
      `Cannot use '${folder}' as the artifacts folder: ${errorMessage(error)}. ` +
        `Pass a writable folder with --artifacts DIR or ENCLUSTER_ARTIFACTS.`,
    );
  }
}
