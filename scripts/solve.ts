// Runs the optimiser on a problem in the JSON format of docs/solver.md and prints the solution:
//   npm run solve -- problem.json        or        cat problem.json | npm run solve
//   npm run solve -- --generate L [seed]  (prints a seeded synthetic instance instead)
import { readFileSync } from "node:fs";
import { generateInstance, SIZES, type SizeName } from "../src/solver/instances";
import { ProblemError, type MatchingProblem } from "../src/solver/problem";
import { solveMatching } from "../src/solver/solve";

const args = process.argv.slice(2);
if (args[0] === "--generate") {
  const size = (args[1] ?? "S") as SizeName;
  if (!(size in SIZES)) {
    console.error(`size must be one of ${Object.keys(SIZES).join(", ")}`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(generateInstance(size, Number(args[2] ?? 1)))}\n`);
  process.exit(0);
}

const text = args[0] && args[0] !== "-" ? readFileSync(args[0], "utf8") : readFileSync(0, "utf8");
let problem: MatchingProblem;
try {
  problem = JSON.parse(text) as MatchingProblem;
} catch (error) {
  console.error(`not JSON: ${(error as Error).message}`);
  process.exit(2);
}
try {
  const solution = await solveMatching(problem);
  process.stdout.write(`${JSON.stringify(solution, null, 2)}\n`);
} catch (error) {
  if (error instanceof ProblemError) {
    console.error(`invalid problem: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
