/**
 * Whether a Slurm cluster answers here and has a node that can run jobs:
 * what tests and commands check before they submit anything, so that they
 * can skip or refuse with the reason instead of failing half-way.
 *
 * @example
 * ```ts ignore
 * import { slurmAvailability } from "./slurm_available.ts";
 *
 * const slurm = await slurmAvailability();
 * console.log(slurm.available ? `slurm: ${slurm.nodes} node(s) up` : `slurm: ${slurm.reason}`);
 * ```
 *
 * @module
 */
import { commandFailure, runCommand } from "./_slurm_command.ts";
import { errorMessage } from "../engine/error_message.ts";

/** Either the number of nodes up, or why Slurm cannot be used. */
export type SlurmAvailability =
  | { readonly available: true; readonly nodes: number }
  | { readonly available: false; readonly reason: string };

/** Node states (`sinfo %T`) in which a node takes jobs; a `*` suffix means it does not respond. */
const upStates = new Set(["idle", "mixed", "allocated", "completing"]);

/**
 * Asks `sinfo` for the nodes' states.
 *
 * @returns available with the count of nodes up, or the reason: "sinfo not
 *   available: …" when sinfo is missing, fails or times out, "no node is
 *   up: …" with the states seen otherwise
 */
export async function slurmAvailability(): Promise<SlurmAvailability> {
  let output;
  try {
    output = await runCommand("sinfo", ["--noheader", "--Node", "--format=%N %T"], 15_000);
  } catch (error) {
    return {
      available: false,
      reason: `sinfo not available: ${errorMessage(error)}`,
    };
  }
  if (output.code !== 0) {
    return { available: false, reason: `sinfo not available: ${commandFailure(output)}` };
  }
  const nodes = output.stdout.split("\n").filter((line) => line.trim() !== "");
  const up = nodes.filter((line) => upStates.has(line.trim().split(/\s+/)[1] ?? ""));
  if (up.length === 0) {
    const seen = nodes.length === 0 ? "sinfo lists no node" : `sinfo shows ${nodes.join(", ")}`;
    return { available: false, reason: `no node is up: ${seen}` };
  }
  return { available: true, nodes: new Set(up.map((line) => line.trim().split(/\s+/)[0])).size };
}

/**
 * True when `sinfo` answers and at least one node can run jobs.
 *
 * @returns whether jobs submitted now can run
 */
export async function slurmAvailable(): Promise<boolean> {
  return (await slurmAvailability()).available;
}
