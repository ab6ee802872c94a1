/**
 * Regular expressions of the provisioning service (Replace's RegularExpression, the REGEX MATCH
 * scoping operators) are .NET ones; JavaScript shares the syntax they use in practice (classes,
 * quantifiers, anchors, named groups `(?<name>...)`).
 */

/**
 * A .NET regular expression as a JavaScript one. No `u` flag: .NET accepts escapes such as `\@`
 * that Unicode mode rejects (the scoping-filter reference's own `.*\@domain.com`). Throws a
 * SyntaxError for a pattern JavaScript cannot read.
 */
export function toJavaScriptRegExp(pattern: string, flags = ""): RegExp {
  return new RegExp(pattern, flags);
}
