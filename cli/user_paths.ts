/**
 * Paths the user gives on the command line, resolved against the folder they
 * typed them in, and the artifacts folder they choose.
 *
 * @module
 */
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { projectRoot } from "./project_root.ts";
import { ConfigError } from "../config/config_error.ts";
import { errorMessage } from "../engine/error_message.ts";

/** A path the user typed, made absolute against the folder they typed it in. */
export function userPath(path: string): string {
  return resolve(userFolder(), path);
}

/**
 * The folder the user typed the command in: `deno task` runs in the project
 * folder, and keeps the user's own in `INIT_CWD`.
 */
export function userFolder(): string {
  return Deno.env.get("INIT_CWD") ?? Deno.cwd();
}

/**
 * The artifacts folder: `--artifacts DIR`, else `$ENCLUSTER_ARTIFACTS` (both
 * relative to the folder the user is in), else `artifacts/` next to
 * deno.json, wherever the command is run from, so every command finds the
 * same store.
 */
export function artifactsFolder(flag: string | undefined): string {
  const fromEnvironment = Deno.env.get("ENCLUSTER_ARTIFACTS");
  if (flag !== undefined) return userPath(notBlank(flag, "--artifacts"));
  if (fromEnvironment !== undefined) {
    return userPath(notBlank(fromEnvironment, "ENCLUSTER_ARTIFACTS"));
  }
  return join(projectRoot, "artifacts");
}

/**
 * The `--export` folder, which may not be the store or inside it: the store
 * holds only what it wrote itself, and `gc` would delete what it finds there.
 *
 * @param flag the folder as the user typed it
 * @param store the artifacts folder
 * @throws {ConfigError} when it is blank, or the store or inside it
 */
export function exportFolder(flag: string, store: string): string {
  const folder = userPath(notBlank(flag, "--export"));
  const inside = relative(realPath(store), realPath(folder));
  if (!inside.startsWith("..") && !isAbsolute(inside)) {
    throw new ConfigError(
      `--export ${flag} is ${inside === "" ? "" : "inside "}the artifacts folder ${store}: ` +
        `export to a folder outside it, for example --export results/`,
    );
  }
  return folder;
}

/** An empty path would mean the folder the user is in: refuse it rather than guess. */
function notBlank(path: string, option: string): string {
  if (path.trim() === "") {
    throw new ConfigError(
      `${option} is empty: give a folder, for example ${option}${
        option.startsWith("--") ? " " : "="
      }${option === "--export" ? "results/" : "artifacts/"}`,
    );
  }
  return path;
}

/** `path` with symbolic links resolved, as far as it exists. */
function realPath(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

/**
 * Creates the artifacts folder if needed and checks that it can be written.
 *
 * @throws {ConfigError} naming the folder and the problem
 */
export function ensureWritableFolder(folder: string, role = "the artifacts folder"): void {
  try {
    Deno.mkdirSync(folder, { recursive: true });
    const probe = `${folder}/.write-probe-${Deno.pid}`;
    Deno.writeFileSync(probe, new Uint8Array());
    Deno.removeSync(probe);
  } catch (error) {
    throw new ConfigError(
      `Cannot use '${folder}' as ${role}: ${errorMessage(error)}. ` +
        (role === "the artifacts folder"
          ? `Pass a writable folder with --artifacts DIR or ENCLUSTER_ARTIFACTS.`
          : `Pass a writable folder.`),
    );
  }
}
