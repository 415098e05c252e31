// How an erased person or family reads: erasure overwrites names with a mark, and every place
// that shows a name asks here, so the reader sees "persona cancellata" in their language rather
// than the mark or, worse, a name kept somewhere else. Pure.
import type { Lang } from "../i18n";

/** What erasure writes in place of a name (stored; never shown as such). */
export const ERASED_MARK = "[cancellato]";

const ERASED_WORDS: Record<"person" | "family", Record<Lang, string>> = {
  person: { it: "persona cancellata", en: "erased person" },
  family: { it: "famiglia cancellata", en: "erased family" },
};

export function erasedName(kind: "person" | "family", lang: Lang): string {
  return ERASED_WORDS[kind][lang];
}

/** A citizen's full name, or the erased words. */
export function citizenFullName(citizen: { firstName: string; lastName: string; erasedAt: Date | null }, lang: Lang): string {
  return citizen.erasedAt ? erasedName("person", lang) : `${citizen.firstName} ${citizen.lastName}`;
}

/** A family's reference name, or the erased words. */
export function familyName(family: { referenceName: string; erasedAt: Date | null }, lang: Lang): string {
  return family.erasedAt ? erasedName("family", lang) : family.referenceName;
}
