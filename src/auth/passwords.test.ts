// Password hashes take turns: a burst never runs more than HASH_CONCURRENCY at once, and beyond
// HASH_QUEUE waiting the rest are refused at once rather than queued for seconds.
import { describe, expect, it } from "vitest";
import { RateLimitError } from "../errors";
import { DUMMY_PASSWORD_HASH, HASH_CONCURRENCY, HASH_QUEUE, hashPassword, needsRehash, verifyPassword } from "./passwords";

describe("passwords", () => {
  it("hashes at OWASP's scrypt minimum and verifies", async () => {
    const stored = await hashPassword("quiet river stone 42");
    expect(stored.startsWith("scrypt$131072$8$1$")).toBe(true);
    expect(needsRehash(stored)).toBe(false);
    expect(needsRehash("scrypt$16384$8$1$AAAA$AAAA")).toBe(true);
    expect(await verifyPassword("quiet river stone 42", stored)).toBe(true);
    expect(await verifyPassword("quiet river stone 43", stored)).toBe(false);
    expect(await verifyPassword("x", "scrypt$3$8$1$AAAA$AAAA")).toBe(false);
  });

  it("lets a burst take turns, and refuses what would wait too long", { timeout: 60_000 }, async () => {
    const burst = HASH_CONCURRENCY + HASH_QUEUE + 6;
    const answers = await Promise.allSettled(Array.from({ length: burst }, () => verifyPassword("wrong", DUMMY_PASSWORD_HASH)));
    const refused = answers.filter((a) => a.status === "rejected");
    expect(refused.length).toBe(6);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitError);
    expect(answers.filter((a) => a.status === "fulfilled" && a.value === false).length).toBe(HASH_CONCURRENCY + HASH_QUEUE);
  });
});
