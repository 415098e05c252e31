// The solve CLI, as a user runs it: a JSON problem in, a JSON solution out, a checked answer
// with --check, and one clear message with exit code 2 for anything malformed.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateInstance } from "../src/solver/instances";

const root = join(import.meta.dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const cli = join(root, "scripts", "solve.ts");
const run = (input: string, args: string[] = []) => spawnSync(tsx, [cli, ...args], { cwd: root, input, encoding: "utf8" });

describe("npm run solve", () => {
  it("reads a problem on standard input, prints the solution and checks it", () => {
    const problem = {
      citizens: [
        { id: "anna", capacityMinutes: 180 },
        { id: "bruno", capacityMinutes: 60 },
      ],
      occurrences: [
        { id: "homework", headcount: 1 },
        { id: "transport", headcount: 1 },
      ],
      pairs: [
        { citizen: "anna", occurrence: "homework", score: 1100, loadMinutes: 90 },
        { citizen: "anna", occurrence: "transport", score: 1050, loadMinutes: 120 },
        { citizen: "bruno", occurrence: "transport", score: 1000, loadMinutes: 60 },
      ],
    };
    const result = run(JSON.stringify(problem), ["--check"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("check passed");
    const solution = JSON.parse(result.stdout);
    expect(solution).toMatchObject({ status: "OPTIMAL", stoppedBy: "OPTIMAL", objective: 2100, bound: 2100, gap: 0, tolerance: 1 });
    expect(solution.assignments).toEqual([
      { citizen: "anna", occurrence: "homework" },
      { citizen: "bruno", occurrence: "transport" },
    ]);
  });

  it("prints the same bytes for the same instance, whatever the options' order", () => {
    const instance = execFileSync(tsx, [cli, "--generate", "M", "3"], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(instance)).toEqual(generateInstance("M", 3));
    const once = run(instance, ["--check"]);
    const twice = run(instance, ["--check"]);
    expect(once.status).toBe(0);
    expect(twice.stdout).toBe(once.stdout);
  });

  it.each([
    ["not JSON", "[1", [], /^not JSON: /],
    ["null", "null", [], /invalid problem:\n {2}expected an object, got null/],
    ["an empty object", "{}", [], /citizens: expected a list, got nothing/],
    [
      "a load as text",
      JSON.stringify({
        citizens: [{ id: "a", capacityMinutes: 60 }],
        occurrences: [{ id: "o", headcount: 1 }],
        pairs: [{ citizen: "a", occurrence: "o", score: 1, loadMinutes: "30" }],
      }),
      [],
      /pairs\[0\]\.loadMinutes: expected a finite number, got the text "30"/,
    ],
    [
      "1e999",
      '{"citizens":[{"id":"a","capacityMinutes":1e999}],"occurrences":[],"pairs":[]}',
      [],
      /capacityMinutes: expected a finite number, got a number too large to be finite/,
    ],
    [
      "an unknown pair",
      JSON.stringify({ citizens: [], occurrences: [], pairs: [{ citizen: "x", occurrence: "y", score: 1, loadMinutes: 1 }] }),
      [],
      /pairs\[0\]\.citizen: unknown citizen x/,
    ],
    ["an unknown backend", JSON.stringify({ citizens: [], occurrences: [], pairs: [], options: { backend: "magic" } }), [], /options\.backend: must be one of/],
    [
      "a time limit that is not a number",
      JSON.stringify({ citizens: [], occurrences: [], pairs: [] }),
      ["--time-limit", "soon"],
      /options\.timeLimitSeconds: expected a finite number/,
    ],
    ["an unknown flag", "{}", ["--fast"], /unknown option --fast/],
    [
      "pinned pairs that break a constraint",
      JSON.stringify({
        citizens: [{ id: "a", capacityMinutes: 600 }],
        occurrences: [
          { id: "o", headcount: 1 },
          { id: "p", headcount: 1 },
        ],
        pairs: [
          { citizen: "a", occurrence: "o", score: 1, loadMinutes: 60 },
          { citizen: "a", occurrence: "p", score: 1, loadMinutes: 60 },
        ],
        conflicts: [{ citizen: "a", occurrences: ["o", "p"] }],
        fixed: [
          { citizen: "a", occurrence: "o" },
          { citizen: "a", occurrence: "p" },
        ],
      }),
      [],
      /conflicts\[0\]: citizen a is fixed on 2 occurrences of one conflict group \(o, p\)/,
    ],
  ])("refuses %s with exit code 2 and one message", (_, input, args, message) => {
    const result = run(input, args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
