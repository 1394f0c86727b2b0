/**
 * The shape of the configuration: sections of typed fields with defaults,
 * ranges and a line of documentation each (the README's reference is built
 * from the same text).
 *
 * @module
 */

/** What every configuration field has. */
interface FieldBase {
  /** One line on what the field does; the README's reference shows it. */
  readonly doc: string;
  /**
   * `false` for a setting that cannot change any output (how often to save a
   * checkpoint): it is left out of cache keys, so changing it re-runs
   * nothing. Set it only where a test shows the outputs are the same.
   */
  readonly affectsOutputs?: false;
}

/** One configuration field. `nullable` fields also accept `null`. */
export type FieldSchema =
  & FieldBase
  & (
    | {
      readonly type: "integer" | "number";
      readonly default: number | null;
      readonly min?: number;
      readonly max?: number;
      /** True when the value must be strictly greater than `min`. */
      readonly exclusiveMin?: boolean;
      readonly nullable?: boolean;
    }
    | { readonly type: "boolean"; readonly default: boolean }
    | {
      readonly type: "string";
      readonly default: string | null;
      readonly nullable?: boolean;
      /**
       * A file or folder: a relative one is made absolute against the folder
       * of the configuration file that gives it, or the folder the user
       * typed `--set` in, so it means the same from anywhere.
       */
      readonly isPath?: true;
    }
    | {
      readonly type: "enum";
      readonly values: readonly string[];
      readonly default: string;
    }
    | {
      readonly type: "integers";
      readonly default: readonly number[];
      readonly min?: number;
    }
  );

/** A configuration section: its fields by name. */
export type SectionSchema = Readonly<Record<string, FieldSchema>>;

/** The whole configuration: sections, and top-level fields such as `backend`. */
export type ConfigSchema = Readonly<Record<string, SectionSchema | FieldSchema>>;

/** The TypeScript type of a field's value. */
export type FieldValue<F> = F extends { type: "integer" | "number"; nullable: true } ? number | null
  : F extends { type: "integer" | "number" } ? number
  : F extends { type: "boolean" } ? boolean
  : F extends { type: "string"; nullable: true } ? string | null
  : F extends { type: "string" } ? string
  : F extends { type: "enum"; values: readonly (infer V)[] } ? V
  : F extends { type: "integers" } ? number[]
  : never;

/** The TypeScript type of a section's values. */
export type SectionValues<S extends SectionSchema> = { -readonly [K in keyof S]: FieldValue<S[K]> };

/** True when an entry of a {@link ConfigSchema} is a field rather than a section. */
export function isField(entry: SectionSchema | FieldSchema): entry is FieldSchema {
  return typeof (entry as { type?: unknown }).type === "string";
}

/**
 * The dotted keys of the fields marked `affectsOutputs: false` in some
 * sections, for a stage's `unkeyed` list.
 *
 * @param sections section name → its schema
 * @returns `section.field` for each such field
 */
export function unkeyedFields(sections: Readonly<Record<string, SectionSchema>>): string[] {
  return Object.entries(sections).flatMap(([name, section]) =>
    Object.entries(section).filter(([, field]) => field.affectsOutputs === false).map(([key]) =>
      `${name}.${key}`
    )
  );
}
