// Mutations of one kind take turns: at most `width` at once, the rest in order, none waiting past
// its patience; kinds are read from the body (root fields, not aliases; fragments followed).
import { describe, expect, it } from "vitest";
import { admission, mutationKind } from "./admission";

const body = (query: string, operationName?: string) => Buffer.from(JSON.stringify({ query, operationName }));
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("admission", () => {
  it("lets `width` requests of a kind run, admits the rest in order as each ends, and other kinds at once", async () => {
    const gate = admission({ width: 2, patienceMs: 5_000 });
    const order: number[] = [];
    const [a, b] = await Promise.all([gate.enter("acceptOffer"), gate.enter("acceptOffer")]);
    const later = [3, 4].map((n) =>
      gate.enter("acceptOffer").then((release) => {
        order.push(n);
        return release;
      }),
    );
    await tick();
    expect(order).toEqual([]);
    const other = await gate.enter("declineOffer");
    expect(other).toBeTypeOf("function");
    a!();
    a!(); // a second release frees nothing more
    await tick();
    expect(order).toEqual([3]);
    b!();
    const released = await Promise.all(later);
    expect(order).toEqual([3, 4]);
    for (const release of released) release!();
    other!();
    // The lanes are empty again: two at once at once.
    expect(await Promise.all([gate.enter("acceptOffer"), gate.enter("acceptOffer")])).toEqual([expect.any(Function), expect.any(Function)]);
  });

  it("gives up on a request that would wait past its patience, and the next in line still gets its turn", async () => {
    const gate = admission({ width: 1, patienceMs: 30 });
    const first = await gate.enter("login");
    const began = performance.now();
    expect(await gate.enter("login")).toBeNull();
    expect(performance.now() - began).toBeGreaterThanOrEqual(25);
    const patient = admission({ width: 1, patienceMs: 5_000 });
    const held = await patient.enter("login");
    const next = patient.enter("login");
    held!();
    expect(await next).toBeTypeOf("function");
    first!();
  });
});

describe("mutationKind", () => {
  it("names a mutation by its root fields, sorted, whatever the aliases, fragments and operation chosen", () => {
    expect(mutationKind(body("mutation($id: ID!) { acceptOffer(offerId: $id) { __typename } }"))).toBe("acceptOffer");
    expect(mutationKind(body("mutation { b: acceptOffer(offerId: 1) { __typename } a: declineOffer(offerId: 2) { __typename } }"))).toBe(
      "acceptOffer+declineOffer",
    );
    expect(mutationKind(body('mutation { ...F __typename } fragment F on Mutation { login(email: "a", password: "b") { __typename } }'))).toBe("login");
    expect(mutationKind(body("query Q { skills { code } } mutation M { logout }", "M"))).toBe("logout");
    expect(mutationKind(body("mutation { ... on Mutation { logout } }"))).toBe("logout");
  });

  it("gives no kind to queries, subscriptions and anything that is not a readable operation", () => {
    expect(mutationKind(body("{ skills { code } }"))).toBeNull();
    expect(mutationKind(body("query Q { skills { code } } mutation M { logout }", "Q"))).toBeNull();
    expect(mutationKind(body("query Q { a } mutation M { logout }"))).toBeNull(); // two operations, none chosen
    expect(mutationKind(body("subscription { inbox { id } }"))).toBeNull();
    expect(mutationKind(body("mutation { "))).toBeNull();
    expect(mutationKind(Buffer.from("not json"))).toBeNull();
    expect(mutationKind(Buffer.from(JSON.stringify({ query: 42 })))).toBeNull();
    expect(mutationKind(body(`mutation { logout ${" ".repeat(20_000)} }`))).toBeNull();
    expect(mutationKind(undefined)).toBeNull();
  });
});
