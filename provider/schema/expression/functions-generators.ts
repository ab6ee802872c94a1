/**
 * Functions whose value does not come from the source object: random values and the tenant's
 * default domain. Randomness comes from EvaluationContext.random so tests can fix it.
 */
import { EvaluationError } from "./errors";
import { requiredInteger, type FunctionImplementation, type ResolvedContext } from "./function-arguments";

const DIGITS = "0123456789";
const CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER_CASE = "abcdefghijklmnopqrstuvwxyz";
/** The special characters of Windows' "Password must meet complexity requirements" policy, which RandomString's reference points to. */
const SPECIAL_CHARACTERS = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/";
/** "256 characters max." */
const MAX_RANDOM_STRING_LENGTH = 256;

function pick(characters: string, context: ResolvedContext): string {
  return characters[Math.min(characters.length - 1, Math.floor(context.random() * characters.length))];
}

/** A version-4 GUID, lower case as .NET's Guid.ToString() prints it. */
function guid(context: ResolvedContext): string {
  const bytes = Array.from({ length: 16 }, () => Math.min(255, Math.floor(context.random() * 256)));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const GENERATOR_FUNCTIONS: Readonly<Record<string, FunctionImplementation>> = {
  DefaultDomain: (_args, context) => {
    if (context.defaultDomain === undefined) throw new EvaluationError("DefaultDomain needs the tenant's default domain (EvaluationContext.defaultDomain)");
    return context.defaultDomain;
  },

  Guid: (_args, context) => guid(context),

  /**
   * Length characters with at least the given numbers of digits, special characters, capitals and
   * lower-case letters, none of CharactersToAvoid; the rest drawn from all allowed characters.
   */
  RandomString: (args, context) => {
    const length = requiredInteger(args, "Length");
    const avoid = args.text("CharactersToAvoid") ?? "";
    const classes = [
      { name: "MinimumNumbers", characters: DIGITS },
      { name: "MinimumSpecialCharacters", characters: SPECIAL_CHARACTERS },
      { name: "MinimumCapital", characters: CAPITALS },
      { name: "MinimumLowerCase", characters: LOWER_CASE },
    ].map((c) => ({
      ...c,
      minimum: requiredInteger(args, c.name),
      characters: [...c.characters].filter((ch) => !avoid.includes(ch)).join(""),
    }));
    if (length < 1 || length > MAX_RANDOM_STRING_LENGTH) {
      throw new EvaluationError(`RandomString's Length must be 1 to ${MAX_RANDOM_STRING_LENGTH}, got ${length}`);
    }
    const required = classes.reduce((sum, c) => sum + c.minimum, 0);
    if (classes.some((c) => c.minimum < 0) || required > length) {
      throw new EvaluationError(`RandomString's minimums (${required} in all) must be non-negative and fit in Length ${length}`);
    }
    const out: string[] = [];
    for (const c of classes) {
      if (c.minimum > 0 && c.characters === "") throw new EvaluationError(`RandomString: CharactersToAvoid leaves nothing for ${c.name}`);
      for (let i = 0; i < c.minimum; i++) out.push(pick(c.characters, context));
    }
    const any = classes.map((c) => c.characters).join("");
    if (out.length < length && any === "") throw new EvaluationError("RandomString: CharactersToAvoid excludes every character");
    while (out.length < length) out.push(pick(any, context));
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(context.random() * (i + 1)));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out.join("");
  },
};
