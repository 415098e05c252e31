// The solve CLI, as a user runs it: a JSON problem in, a JSON solution out.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateInstance } from "../src/solver/instances";

const root = join(import.meta.dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const cli = join(root, "scripts", "solve.ts");

describe("npm run solve", () => {
  it("reads a problem on standard input and prints the solution", () => {
    const problem = {
      citizens: [{ id: "anna", capacityMinutes: 180 }, { id: "bruno", capacityMinutes: 60 }],
      occurrences: [{ id: "homework", headcount: 1 }, { id: "transport", headcount: 1 }],
      pairs: [
        { citizen: "anna", occurrence: "homework", score: 1100, loadMinutes: 90 },
        { citizen: "anna", occurrence: "transport", score: 1050, loadMinutes: 120 },
        { citizen: "bruno", occurrence: "transport", score: 1000, loadMinutes: 60 },
      ],
    };
    const out = execFileSync(tsx, [cli], { cwd: root, input: JSON.stringify(problem), encoding: "utf8" });
    const solution = JSON.parse(out);
    expect(solution).toMatchObject({ status: "OPTIMAL", objective: 2100, bound: 2100, gap: 0 });
    expect(solution.assignments).toEqual([
      { citizen: "anna", occurrence: "homework" },
      { citizen: "bruno", occurrence: "transport" },
    ]);
  });

  it("generates the same seeded instance every time and refuses a broken problem", () => {
    const once = execFileSync(tsx, [cli, "--generate", "S", "3"], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(once)).toEqual(generateInstance("S", 3));
    const broken = spawnSync(tsx, [cli], { cwd: root, input: JSON.stringify({ citizens: [], occurrences: [], pairs: [{ citizen: "x", occurrence: "y", score: 1, loadMinutes: 1 }] }), encoding: "utf8" });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain("invalid problem: pair refers to unknown citizen x");
  });
});
