/**
 * A setting's value as the user would type it: strings bare, everything else
 * as JSON (`10`, `[784,64]`, `null`).
 */
export function showValue(value: unknown): string {
  if (value === undefined) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
