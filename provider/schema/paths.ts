/**
 * Property paths as Pulumi prints them (`a.b["key with spaces"].c`), so that a check failure or a
 * drifted path names exactly the input a user has to edit.
 */

const PLAIN = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Join path segments: identifiers with dots, anything else (spaces, dots, quotes) in ["..."]. */
export function propertyPath(...segments: (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (PLAIN.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
