// A run's error becomes the reason the coordinator reads: broken pins named by rule, the
// regulation's date, and nothing technical for anything else.
import { describe, expect, it } from "vitest";
import { ConflictError } from "../errors";
import { runFailureMessage } from "../i18n/explanations";
import { ProblemError } from "../solver/problem";
import { runFailureOf } from "./run-failure.model";

describe("run failures", () => {
  it("names the pins that break a rule together, in both languages", () => {
    const failure = runFailureOf(
      new ProblemError([
        {
          code: "FIXED_CONFLICT",
          path: "conflicts[0]",
          message: "",
          pairs: [
            { citizen: "c1", occurrence: "o1" },
            { citizen: "c1", occurrence: "o2" },
          ],
        },
        {
          code: "FIXED_OVER_HEADCOUNT",
          path: "fixed",
          message: "",
          pairs: [
            { citizen: "c1", occurrence: "o3" },
            { citizen: "c2", occurrence: "o3" },
          ],
        },
      ]),
    );
    expect(failure).toEqual({
      code: "PINS_CANNOT_ALL_BE_KEPT",
      details: {
        pins: [
          {
            rule: "OVERLAP",
            pairs: [
              { citizen: "c1", occurrence: "o1" },
              { citizen: "c1", occurrence: "o2" },
            ],
          },
          {
            rule: "SEATS",
            pairs: [
              { citizen: "c1", occurrence: "o3" },
              { citizen: "c2", occurrence: "o3" },
            ],
          },
        ],
      },
    });
    const names: Record<string, string> = { c1: "Anna Neri", c2: "Luca Bini", o1: "Aiuto compiti", o2: "Trasporto", o3: "Spesa" };
    const when = (o: string) => `lun ${o.slice(1)} dic`;
    expect(runFailureMessage(failure, "it", (id) => names[id]!, when)).toBe(
      "Le assegnazioni fissate non si possono rispettare tutte insieme: Anna Neri non può partecipare nello stesso momento a tutte queste attività: Aiuto compiti (lun 1 dic) e Trasporto (lun 2 dic); Spesa (lun 3 dic) ha meno posti dei cittadini fissati (Anna Neri e Luca Bini). Togliere o cambiare una di queste assegnazioni, poi avviare di nuovo l'elaborazione.",
    );
    expect(runFailureMessage(failure, "en", (id) => names[id]!, when)).toMatch(
      /^The pinned assignments cannot all be kept together: Anna Neri cannot be at all of these at the same time: Aiuto compiti/,
    );
  });

  it("says which date has no regulation, and keeps anything unforeseen out of the words", () => {
    const noRegulation = runFailureOf(new ConflictError("NO_REGULATION", { date: "2026-12-07" }));
    expect(noRegulation).toEqual({ code: "NO_REGULATION", details: { date: "2026-12-07" } });
    expect(
      runFailureMessage(
        noRegulation,
        "en",
        (id) => id,
        () => "",
      ),
    ).toContain("2026-12-07");
    const internal = runFailureOf(new Error('relation "MatchingRun" does not exist'));
    expect(internal).toEqual({ code: "INTERNAL", details: {} });
    expect(
      runFailureMessage(
        internal,
        "it",
        (id) => id,
        () => "",
      ),
    ).not.toContain("MatchingRun");
    expect(runFailureOf(new ProblemError([{ code: "INVALID", path: "pairs[0].score", message: "expected a finite number" }])).code).toBe("INVALID_WEEK");
  });
});
