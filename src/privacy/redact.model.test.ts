import { describe, expect, it } from "vitest";
import { citizenPhrases, familyPhrases, namesPattern, redactNames, searchWord } from "./redact.model";

const redact = (text: string, names: string[]) => redactNames(text, namesPattern(names));

describe("redactNames", () => {
  it("replaces whole words in any case, and a name's words with any spacing", () => {
    expect(redact("Compiti per KARIM, con la famiglia Haddad.", ["Karim", "Haddad"])).toBe("Compiti per [cancellato], con la famiglia [cancellato].");
    expect(redact("Accompagna Maria\n Rossi in Questura", ["Maria Rossi"])).toBe("Accompagna [cancellato] in Questura");
  });

  it("leaves words that only contain the name", () => {
    expect(redact("Banana e Anastasia, non Ana!", ["Ana"])).toBe("Banana e Anastasia, non [cancellato]!");
    expect(redact("Élodie e Lodi", ["Lodi"])).toBe("Élodie e [cancellato]");
  });

  it("treats names as text, not as patterns, and prefers the longest", () => {
    expect(redact("Costo (a+b) e a+b", ["a+b"])).toBe("Costo ([cancellato]) e [cancellato]");
    expect(redact("Maria Rossi e Maria", ["Maria", "Maria Rossi"])).toBe("[cancellato] e [cancellato]");
  });

  it("searches for nothing shorter than two letters, nor for the mark itself", () => {
    expect(namesPattern(["A", " ", "[cancellato]"])).toBeNull();
    expect(redact("A casa", ["A"])).toBe("A casa");
  });
});

describe("phrases", () => {
  it("names a citizen both ways round, and a family with its word or a member", () => {
    expect(citizenPhrases("Maria", "Rossi")).toEqual(["Maria Rossi", "Rossi Maria"]);
    expect(familyPhrases("Haddad", ["Karim"])).toEqual(["Haddad", "Karim Haddad", "Haddad Karim"]);
    expect(searchWord("Maria de la Cruz")).toBe("Maria");
  });
});
