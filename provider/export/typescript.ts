/**
 * Writing values as TypeScript source, formatted the way a person would (two-space indents,
 * trailing commas, keys quoted only when they must be), so that exported programs read well in
 * review and the same tenant always gives the same text.
 */

/** Code to paste in as is, e.g. `config.requireSecret("key")`. */
export class Code {
  constructor(readonly text: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** `value` as a TypeScript expression, nested objects indented from `indent`. */
export function literal(value: unknown, indent = ""): string {
  if (value instanceof Code) return value.text;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = `[${value.map((v) => literal(v, inner)).join(", ")}]`;
    if (!flat.includes("\n") && flat.length + indent.length <= 100) return flat;
    return `[\n${value.map((v) => `${inner}${literal(v, inner)},\n`).join("")}${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${propertyKey(k)}: ${literal(v, inner)},\n`).join("")}${indent}}`;
}

/** `lower-kebab` to `lowerCamel`, a valid identifier. */
export function identifier(name: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[A-Za-z_$]/.test(camel) ? camel : `app${camel}`;
}
