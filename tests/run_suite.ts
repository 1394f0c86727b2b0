/**
 * `deno task test`: runs the test suite with its temporary files in one
 * folder of its own, removed at the end, so that a run leaves nothing in the
 * system's temporary folder however its tests end (a failed assertion, a
 * killed pipeline child, a browser's profile). It says how much the tests
 * left for it to remove, so that a test that forgets its folders shows.
 *
 * Arguments go to `deno test`; without a path, the whole suite runs.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { permissions } from "./_commands.ts";

const FOLDERS = [
  "tests/",
  "engine/",
  "config/",
  "data/",
  "nn/",
  "ml/",
  "report/",
  "cli/",
  "experiments/",
  "stages/",
  "slurm/",
];

const projectRoot = new URL("..", import.meta.url).pathname;
// Files or folders to test, told apart from option values (`--filter NAME`) by existing.
const paths = Deno.args.filter((arg) => !arg.startsWith("-") && existsSync(join(projectRoot, arg)));
const temporary = Deno.makeTempDirSync({ prefix: "encluster-suite-" });
let code = 1;
try {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "--doc", ...permissions, ...Deno.args, ...(paths.length ? [] : FOLDERS)],
    cwd: projectRoot,
    env: { TMPDIR: temporary },
  }).spawn();
  // An interrupted suite still removes its folder.
  const forward = () => child.kill("SIGINT");
  Deno.addSignalListener("SIGINT", forward);
  code = (await child.status).code;
  Deno.removeSignalListener("SIGINT", forward);
} finally {
  const left = Deno.readDirSync(temporary).toArray();
  if (left.length > 0) {
    // Names are a prefix and a random part: count them by prefix.
    const counts = new Map<string, number>();
    for (const { name } of left) {
      const prefix = name.replace(/[0-9a-f]{6,}$/, "*");
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    }
    console.error(
      `tests left ${left.length} temporary entries in ${temporary}, now removed: ${
        [...counts].map(([prefix, count]) => `${prefix} ×${count}`).join(", ")
      }`,
    );
  }
  Deno.removeSync(temporary, { recursive: true });
}
Deno.exit(code);
