/**
 * The modules and files a TypeScript module loads, read from its text: what
 * the code digest follows (so editing any of them re-runs the stage) and what
 * the layering check inspects.
 *
 * It is a small tokenizer rather than a regular expression over the text,
 * because an import written inside a comment, a JSDoc example or a string
 * loads nothing and must not count, and a template literal or a regular
 * expression can hold quotes and slashes. It is hand-written rather than
 * TypeScript's own `preProcessFile`, because importing the `typescript`
 * package costs seconds at every start of the pipeline, and because neither
 * that nor `deno info` reports the files named by `new URL("…",
 * import.meta.url)` (workers, WebAssembly, data files).
 *
 * @example
 * ```ts
 * import { moduleImports } from "./module_imports.ts";
 *
 * const found = moduleImports(`
 *   import type { A } from "./a.ts";
 *   import { b } from "./b.ts";
 *   // import { c } from "./c.ts";
 *   const worker = new URL("./worker.ts", import.meta.url);
 *   const lazy = await import("npm:sharp");
 * `);
 * const kinds = found.map((item) => `${item.kind} ${item.specifier}`).join(", ");
 * if (kinds !== "type ./a.ts, static ./b.ts, url ./worker.ts, dynamic npm:sharp") {
 *   throw new Error(kinds);
 * }
 * ```
 *
 * @module
 */

/** One thing a module loads. */
export interface ModuleImport {
  /** The specifier as written: `./x.ts`, `npm:sharp`, `@tensorflow/tfjs`. */
  readonly specifier: string;
  /**
   * `static`: `import … from` / `export … from` / `import "…"`; `type`:
   * `import type` / `export type … from`, which the type checker reads and
   * the program never loads;
   * `dynamic`: `import("…")` with a literal; `url`: `new URL("…", import.meta.url)`,
   * a file read or started as a worker at run time.
   */
  readonly kind: "static" | "type" | "dynamic" | "url";
}

type Token =
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "word"; readonly value: string }
  | { readonly type: "punct"; readonly value: string };

/**
 * Every module and file `text` names in an import (type-only ones marked as
 * such) or a `new URL(…, import.meta.url)`, in order of appearance; anything
 * inside comments or strings is left out.
 *
 * @param text the module's source
 * @returns what it loads
 */
export function moduleImports(text: string): ModuleImport[] {
  const tokens = tokenize(text);
  const found: ModuleImport[] = [];
  const at = (index: number) => tokens[index];
  const is = (index: number, type: Token["type"], value?: string) => {
    const token = at(index);
    return token !== undefined && token.type === type &&
      (value === undefined || token.value === value);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== "word") continue;
    const afterDot = is(i - 1, "punct", ".");
    if (afterDot) continue;
    if (token.value === "import" && is(i + 1, "punct", "(") && is(i + 2, "string")) {
      found.push({ specifier: at(i + 2)!.value, kind: "dynamic" });
    } else if (token.value === "import" && is(i + 1, "string")) {
      found.push({ specifier: at(i + 1)!.value, kind: "static" });
    } else if (
      (token.value === "import" && !is(i + 1, "punct", "(") && !is(i + 1, "punct", ".")) ||
      token.value === "export"
    ) {
      const typeOnly = is(i + 1, "word", "type") && !is(i + 2, "word", "from") &&
        !is(i + 2, "punct", "=");
      const end = statementFrom(tokens, i + 1);
      if (end !== undefined) {
        found.push({ specifier: at(end)!.value, kind: typeOnly ? "type" : "static" });
      }
    } else if (
      token.value === "new" && is(i + 1, "word", "URL") && is(i + 2, "punct", "(") &&
      is(i + 3, "string") && is(i + 4, "punct", ",") && is(i + 5, "word", "import") &&
      is(i + 6, "punct", ".") && is(i + 7, "word", "meta") && is(i + 8, "punct", ".") &&
      is(i + 9, "word", "url")
    ) {
      found.push({ specifier: at(i + 3)!.value, kind: "url" });
    }
  }
  return found;
}

/**
 * For an `import`/`export` statement starting at `start` (the token after
 * the keyword), the index of the string after its `from`, or undefined when
 * the statement has no `from` (a declaration such as `export const`).
 */
function statementFrom(tokens: readonly Token[], start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "punct") {
      if (token.value === "{") depth++;
      else if (token.value === "}") depth--;
      else if (token.value === ";" || token.value === "(" || token.value === "=") return undefined;
      continue;
    }
    if (token.type === "string") return undefined;
    if (depth === 0 && token.value === "from") {
      return tokens[i + 1]?.type === "string" ? i + 1 : undefined;
    }
    // `export const x`, `export function f`: a declaration, not a re-export.
    if (depth === 0 && i === start && declarationWords.has(token.value)) return undefined;
  }
  return undefined;
}

const declarationWords = new Set([
  "const",
  "let",
  "var",
  "function",
  "class",
  "interface",
  "enum",
  "default",
  "async",
  "abstract",
  "declare",
  "namespace",
]);

/** Words after which a `/` starts a regular expression rather than a division. */
const regexAfterWords = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

/**
 * Splits source text into strings (their decoded text, for plain literals and
 * template literals without substitutions), words and punctuation, skipping
 * comments, whitespace, numbers and regular-expression literals.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Open template literals: the brace depth at which each `${` began.
  const templates: number[] = [];
  let braces = 0;
  let i = 0;
  const push = (token: Token) => tokens.push(token);
  const regexAllowed = () => {
    const last = tokens[tokens.length - 1];
    if (last === undefined) return true;
    if (last.type === "string") return false;
    if (last.type === "word") return regexAfterWords.has(last.value);
    return !(last.value === ")" || last.value === "]" || last.value === "}");
  };
  /** Reads a template literal's text from `i` (after the backtick or `}`). */
  const template = (): void => {
    let value = "";
    while (i < text.length) {
      const char = text[i]!;
      if (char === "\\") {
        value += text[i + 1] ?? "";
        i += 2;
      } else if (char === "`") {
        i++;
        push({ type: "string", value });
        return;
      } else if (char === "$" && text[i + 1] === "{") {
        i += 2;
        templates.push(braces);
        braces++;
        push({ type: "punct", value: "${" });
        return;
      } else {
        value += char;
        i++;
      }
    }
  };
  while (i < text.length) {
    const char = text[i]!;
    const next = text[i + 1];
    if (char === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (char === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (char === '"' || char === "'") {
      let value = "";
      i++;
      while (i < text.length && text[i] !== char && text[i] !== "\n") {
        if (text[i] === "\\") {
          value += text[i + 1] ?? "";
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      i++;
      push({ type: "string", value });
    } else if (char === "`") {
      i++;
      template();
    } else if (char === "/" && regexAllowed()) {
      i = regexEnd(text, i);
      push({ type: "string", value: "" }); // a value, as far as the grammar around it goes
    } else if (/[A-Za-z_$]/.test(char)) {
      let end = i + 1;
      while (end < text.length && /[\w$]/.test(text[end]!)) end++;
      push({ type: "word", value: text.slice(i, end) });
      i = end;
    } else if (/[0-9]/.test(char)) {
      let end = i + 1;
      while (end < text.length && /[\w.]/.test(text[end]!)) end++;
      push({ type: "word", value: "0" });
      i = end;
    } else if (/\s/.test(char)) {
      i++;
    } else {
      if (char === "{") braces++;
      if (char === "}") {
        braces--;
        if (templates.length > 0 && templates[templates.length - 1] === braces) {
          templates.pop();
          i++;
          template();
          continue;
        }
      }
      push({ type: "punct", value: char });
      i++;
    }
  }
  return tokens;
}

/** The index just past the regular-expression literal that starts at `start`. */
function regexEnd(text: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < text.length && text[i] !== "\n") {
    const char = text[i]!;
    if (char === "\\") i++;
    else if (char === "[") inClass = true;
    else if (char === "]") inClass = false;
    else if (char === "/" && !inClass) {
      i++;
      while (i < text.length && /[a-z]/.test(text[i]!)) i++;
      return i;
    }
    i++;
  }
  return i;
}
