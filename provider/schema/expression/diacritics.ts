/**
 * NormalizeDiacritics: "Returns the string, but with any diacritical characters replaced with
 * equivalent nondiacritical characters" (expression reference, with its table of characters).
 *
 * Most of the table is a base letter plus combining marks, so decomposing (NFD) and dropping the
 * Combining Diacritical Marks block covers it. The rest are letters Unicode does not decompose,
 * mapped as the table says (æ -> ae, ø -> oe, ß -> ss, ł -> l, ı -> i, ...).
 */

const LETTERS_WITHOUT_DECOMPOSITION: Readonly<Record<string, string>> = {
  æ: "ae",
  Æ: "AE",
  ø: "oe",
  Ø: "OE",
  œ: "oe",
  Œ: "OE",
  ß: "ss",
  ł: "l",
  Ł: "L",
  ı: "i",
};

const COMBINING_DIACRITICAL_MARKS = /[\u0300-\u036f]/g;
const SPECIAL_LETTERS = new RegExp(`[${Object.keys(LETTERS_WITHOUT_DECOMPOSITION).join("")}]`, "g");

export function normalizeDiacritics(text: string): string {
  return text
    .normalize("NFD")
    .replace(SPECIAL_LETTERS, (c) => LETTERS_WITHOUT_DECOMPOSITION[c])
    .replace(COMBINING_DIACRITICAL_MARKS, "")
    .normalize("NFC");
}
