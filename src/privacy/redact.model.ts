// Names found in free text written by staff or citizens (task titles, notes, reasons) and
// replaced by the erased mark: whole words only, in any case, with any spacing between the
// words of a name, so that erasing "Ana" leaves "Banana" and "Anastasia" alone. Pure.
import { ERASED_MARK } from "./erased.model";

/** Shorter names are not searched for: one letter would match initials everywhere. */
const MIN_NAME_LENGTH = 2;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One pattern for all the names, longest first (so "Maria Rossi" goes before "Maria"); null when none is searchable. */
export function namesPattern(names: readonly string[]): RegExp | null {
  const words = [...new Set(names.map((n) => n.trim().replace(/\s+/g, " ")).filter((n) => n.length >= MIN_NAME_LENGTH && n !== ERASED_MARK))].sort(
    (a, b) => b.length - a.length,
  );
  if (words.length === 0) return null;
  const alternatives = words.map((n) => n.split(" ").map(escapeRegExp).join("\\s+"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "giu");
}

/** The text with every whole-word occurrence of the names replaced by the erased mark. */
export function redactNames(text: string, pattern: RegExp | null): string {
  return pattern ? text.replace(pattern, ERASED_MARK) : text;
}

/** The word of a name most worth searching a database for (its longest), to find candidate rows cheaply. */
export function searchWord(name: string): string {
  return (
    name
      .trim()
      .split(/\s+/)
      .sort((a, b) => b.length - a.length)[0] ?? ""
  );
}

/** The ways a citizen's name is written in somebody else's text. */
export function citizenPhrases(firstName: string, lastName: string): string[] {
  return [`${firstName} ${lastName}`, `${lastName} ${firstName}`];
}

/**
 * The ways a family is named in texts that are not its own: its reference name (what staff call
 * it, as a whole word) and a member's full name; a member's first name alone only in its own.
 */
export function familyPhrases(referenceName: string, memberFirstNames: readonly string[]): string[] {
  return [referenceName, ...memberFirstNames.flatMap((m) => [`${m} ${referenceName}`, `${referenceName} ${m}`])];
}
