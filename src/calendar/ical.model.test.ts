// iCalendar text rules: escaping and folding at 75 octets without splitting a character.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { calendarFeed, escapeText, foldLine } from "./ical.model";

describe("iCalendar text", () => {
  it("escapes the characters TEXT values reserve", () => {
    expect(escapeText("a,b;c\\d\ne")).toBe("a\\,b\\;c\\\\d\\ne");
  });

  it("folds long lines at 75 octets, never inside a UTF-8 character", () => {
    const line = `SUMMARY:${"Accompagnamento è più già ".repeat(8)}`;
    const folded = foldLine(line).split("\r\n");
    expect(folded.length).toBeGreaterThan(2);
    for (const part of folded) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
    expect(folded.map((p, i) => (i === 0 ? p : p.slice(1))).join("")).toBe(line);
  });

  it("round-trips through a real parser", () => {
    const title = `Conversazione, "città"; perché\\ ${"è".repeat(60)}`;
    const text = calendarFeed("Legami", [
      {
        id: "x",
        status: "ACTIVE",
        sequence: 2,
        updatedAt: new Date("2026-11-22T09:00:00Z"),
        startsAt: new Date("2026-11-24T15:00:00Z"),
        endsAt: new Date("2026-11-24T16:30:00Z"),
        title,
        place: "Grosseto",
      },
    ]);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!);
    expect(event.summary).toBe(title);
    expect(event.sequence).toBe(2);
  });
});
