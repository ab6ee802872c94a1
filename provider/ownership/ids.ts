/**
 * Comparing Graph object ids. Graph treats GUIDs case-insensitively, so a program that writes a
 * service principal id in upper case names the same object as one that writes it in lower case:
 * changing only the case must never replace anything.
 */

import { isUnknown } from "../validation";

/** True when two ids name different objects; an unknown (preview) id counts as different. */
export function differentObjectId(a: unknown, b: unknown): boolean {
  if (isUnknown(a) || isUnknown(b)) return true;
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() !== b.toLowerCase();
  return a !== b;
}
