/**
 * The project's root folder (the one holding deno.json), wherever a command
 * is run from: default configurations and the default store are found
 * relative to it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The project root: the folder holding deno.json, without a trailing slash. */
export const projectRoot: string = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
