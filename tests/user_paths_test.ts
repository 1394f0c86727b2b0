/**
 * The folders a user names: an empty one is a usage error rather than the
 * folder they happen to be in, and an export may not land inside the store.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runScript } from "./_commands.ts";
import { withTempDir } from "./_temp.ts";

/** A recursive listing of `folder` (nothing when it does not exist). */
function listing(folder: string): string[] {
  try {
    return Deno.readDirSync(folder).toArray().flatMap((entry) =>
      entry.isDirectory
        ? [entry.name, ...listing(join(folder, entry.name)).map((n) => `${entry.name}/${n}`)]
        : [entry.name]
    ).sort();
  } catch {
    return [];
  }
}

Deno.test("an empty artifacts or export folder is a usage error that runs nothing", async (t) => {
  await withTempDir(async (folder) => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["--artifacts", ""], {}, /--artifacts is empty: give a folder/],
      [["--artifacts", "  "], {}, /--artifacts is empty/],
      [[], { ENCLUSTER_ARTIFACTS: "" }, /ENCLUSTER_ARTIFACTS is empty/],
      [["--artifacts", join(folder, "a"), "--export", ""], {}, /--export is empty/],
      [["--artifacts", join(folder, "a"), "--export", " "], {}, /--export is empty/],
    ];
    for (const [args, env, message] of cases) {
      await t.step(`${JSON.stringify(args)} ${JSON.stringify(env)}`, async () => {
        const result = await runScript("pipeline.ts", [...args, "--dry-run"], {
          ...env,
          INIT_CWD: folder,
        });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.deepEqual(listing(folder), [], "nothing was created where the user is");
      });
    }
  });
});

Deno.test("an export folder inside the store is refused, also through a link or '.'", async (t) => {
  await withTempDir(async (folder) => {
    const artifacts = join(folder, "artifacts");
    Deno.mkdirSync(join(artifacts, "objects"), { recursive: true });
    Deno.symlinkSync(artifacts, join(folder, "link"));
    const cases: [string, string, RegExp][] = [
      [join(artifacts, "export"), folder, /is inside the artifacts folder/],
      [artifacts, folder, /is the artifacts folder/],
      [join(folder, "link", "objects"), folder, /is inside the artifacts folder/],
      [".", artifacts, /--export \. is the artifacts folder/],
    ];
    const before = listing(folder);
    for (const [exportTo, cwd, message] of cases) {
      await t.step(`--export ${exportTo} from ${cwd}`, async () => {
        const result = await runScript(
          "pipeline.ts",
          ["--artifacts", artifacts, "--export", exportTo, "--dry-run"],
          { INIT_CWD: cwd },
        );
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.deepEqual(listing(folder), before, "the store is as it was");
      });
    }
  });
});
