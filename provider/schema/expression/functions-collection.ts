/**
 * Functions over multi-valued attributes (proxyAddresses, appRoleAssignments, ...).
 */
import { EvaluationError } from "./errors";
import { requiredInteger, type FunctionImplementation } from "./function-arguments";
import { isMultiValued, toText, type RuntimeValue } from "./values";

/** Every value of an attribute as a list (a single value is a list of one); no value stays null. */
function asList(value: RuntimeValue, what: string): readonly string[] | null {
  if (value === null || isMultiValued(value)) return value;
  return [toText(value, what) as string];
}

/**
 * The app role assignments' values. In the service these become the target's role objects (for
 * SCIM, `roles`); here the values themselves, which is what a test input object carries.
 */
const appRoleAssignments: FunctionImplementation = (args) => asList(args.value("source"), `${args.functionName}'s source`);

export const COLLECTION_FUNCTIONS: Readonly<Record<string, FunctionImplementation>> = {
  AppRoleAssignments: appRoleAssignments,
  AppRoleAssignmentsComplex: appRoleAssignments,

  /** "Returns the number of elements in a multi-valued attribute." */
  Count: (args) => String(asList(args.value("attribute"), "Count's attribute")?.length ?? 0),

  /** `Item([proxyAddresses], 1)` is the first value: "Index 0 shouldn't be used." */
  Item: (args) => {
    const index = requiredInteger(args, "index");
    if (index < 1) throw new EvaluationError(`Item's index starts at 1, got ${index}`);
    return asList(args.value("attribute"), "Item's attribute")?.[index - 1] ?? null;
  },

  /** Each value once, in first-seen order. */
  RemoveDuplicates: (args) => {
    const list = asList(args.value("attribute"), "RemoveDuplicates' attribute");
    return list === null ? null : [...new Set(list)];
  },

  /**
   * "Returns a single appRoleAssignment from the list ... isn't supported in scenarios where users
   * have multiple app role assignments": with several, the first.
   */
  SingleAppRoleAssignment: (args) => asList(args.value("source"), "SingleAppRoleAssignment's source")?.[0] ?? null,
};
