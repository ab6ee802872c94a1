/**
 * Every function's implementation, by name. A unit test checks this covers the catalog exactly.
 */
import { COLLECTION_FUNCTIONS } from "./functions-collection";
import { DATE_FUNCTIONS } from "./functions-date";
import { GENERATOR_FUNCTIONS } from "./functions-generators";
import { LOGIC_FUNCTIONS } from "./functions-logic";
import { TEXT_FUNCTIONS } from "./functions-text";
import type { FunctionImplementation } from "./function-arguments";

export const IMPLEMENTATIONS: ReadonlyMap<string, FunctionImplementation> = new Map(
  Object.entries({ ...TEXT_FUNCTIONS, ...LOGIC_FUNCTIONS, ...DATE_FUNCTIONS, ...COLLECTION_FUNCTIONS, ...GENERATOR_FUNCTIONS }),
);
