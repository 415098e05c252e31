// The password policy (NIST SP 800-63B-4): length, and nothing commonly used or expected.
import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy.model";

describe("passwordProblem", () => {
  it("takes a long passphrase of any characters, spaces and accents included", () => {
    expect(passwordProblem("quiet river stone 42")).toBeNull();
    expect(passwordProblem("la mia bicicletta è gialla")).toBeNull();
    expect(passwordProblem("Ωμέγα-λάμδα-κάππα")).toBeNull();
  });

  it("counts characters, not bytes, from 15 to 128", () => {
    expect(passwordProblem("1234567890")).toBe("TOO_SHORT");
    expect(passwordProblem("short-but-nice")).toBe("TOO_SHORT");
    // 14 characters, 28 bytes in UTF-8.
    expect(passwordProblem("èàìòùéçäöüßñøå")).toBe("TOO_SHORT");
    expect(passwordProblem("x".repeat(129))).toBe("TOO_LONG");
    const dante =
      "Nel mezzo del cammin di nostra vita mi ritrovai per una selva oscura, ché la diritta via era smarrita. Ahi quanto a dir qual era è cosa dura";
    expect(passwordProblem(dante.slice(0, 128))).toBeNull();
    expect(passwordProblem(dante.slice(0, 129))).toBe("TOO_LONG");
  });

  it("refuses passwords on the common list, with or without digits and symbols around", () => {
    expect(passwordProblem("123456789987654321")).toBe("TOO_COMMON");
    expect(passwordProblem("qwertyuiop12345")).toBe("TOO_COMMON");
    expect(passwordProblem("passwordpassword")).toBe("TOO_COMMON");
    expect(passwordProblem("1qaz2wsx3edc4rfv")).toBe("TOO_COMMON");
  });

  it("refuses repetitions and runs of consecutive characters", () => {
    expect(passwordProblem("aaaaaaaaaaaaaaaa")).toBe("TOO_COMMON");
    expect(passwordProblem("abcabcabcabcabcabc")).toBe("TOO_COMMON");
    expect(passwordProblem("123456789012345")).toBe("TOO_COMMON");
    expect(passwordProblem("zyxwvutsrqponmlk")).toBe("TOO_COMMON");
  });

  it("refuses a password that is mostly the service's name or the person's own name or email", () => {
    expect(passwordProblem("legami-legami-2026")).toBe("TOO_COMMON");
    expect(passwordProblem("noemi.tester.1988", ["Noemi", "Tester", "noemi.tester@example.org"])).toBe("TOO_COMMON");
    expect(passwordProblem("noemi.tester.1988")).toBeNull();
    expect(passwordProblem("my-password-is-1")).toBe("TOO_COMMON");
  });
});
