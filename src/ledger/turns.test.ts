import { describe, expect, it } from "vitest";
import { turns } from "./turns";

describe("turns", () => {
  it("gives one turn per key at a time; those waiting are told when it ends, and ask again", async () => {
    const t = turns();
    const first = await t.take("seat");
    expect(first).toBeTypeOf("function");
    let waited: unknown = "pending";
    const waiting = t.take("seat").then((r) => (waited = r));
    const other = await t.take("another seat");
    expect(other).toBeTypeOf("function");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(waited).toBe("pending");
    first!();
    await waiting;
    expect(waited).toBeNull();
    const next = await t.take("seat");
    expect(next).toBeTypeOf("function");
    next!();
    next!();
    expect(await t.take("seat")).toBeTypeOf("function");
  });
});
