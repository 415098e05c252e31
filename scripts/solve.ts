// Runs the optimiser on a problem in the JSON format of docs/solver.md and prints the solution:
//   npm run solve -- problem.json [--check] [--time-limit S] [--work-limit N] [--backend B] [--relative-gap G] [--timing]
//   cat problem.json | npm run solve
//   npm run solve -- --generate L [seed]   (prints a seeded synthetic instance instead)
// The time limit counts from the moment the problem is read. Standard output is the solution
// alone (the same bytes for the same input, unless the time limit fired); --timing writes wall
// and CPU time to standard error. Exit codes: 0 solved, 1 a check failed or an internal error,
// 2 bad input or arguments (one message, no stack trace).
import { readFileSync } from "node:fs";
import { checkSolution } from "../src/solver/check";
import { generateInstance, SIZES, type SizeName } from "../src/solver/instances";
import { ProblemError, type SolveOptions } from "../src/solver/problem";
import { solveMatching } from "../src/solver/solve";

const started = performance.now();
const cpuStarted = process.cpuUsage();

function refuse(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args[0] === "--generate") {
  const size = (args[1] ?? "S") as SizeName;
  if (!(size in SIZES)) refuse(`size must be one of ${Object.keys(SIZES).join(", ")}`);
  const seed = Number(args[2] ?? 1);
  if (!Number.isInteger(seed) || seed < 1) refuse("the seed must be a whole number from 1");
  process.stdout.write(`${JSON.stringify(generateInstance(size, seed))}\n`);
  process.exit(0);
}

const flags: Record<string, keyof SolveOptions> = {
  "--time-limit": "timeLimitSeconds",
  "--work-limit": "workLimit",
  "--backend": "backend",
  "--relative-gap": "relativeGap",
};
const overrides: Record<string, unknown> = {};
let file: string | undefined;
let check = false;
let timing = false;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === "--check") check = true;
  else if (arg === "--timing") timing = true;
  else if (arg in flags) {
    const value = args[++i];
    if (value === undefined) refuse(`${arg} needs a value`);
    overrides[flags[arg]!] = arg === "--backend" ? value : Number(value);
  } else if (arg.startsWith("--")) refuse(`unknown option ${arg} (known: --check, --timing, ${Object.keys(flags).join(", ")}, --generate)`);
  else if (file === undefined) file = arg;
  else refuse(`one problem file at a time (got ${file} and ${arg})`);
}

let text: string;
try {
  text = file && file !== "-" ? readFileSync(file, "utf8") : readFileSync(0, "utf8");
} catch (error) {
  refuse(`cannot read ${file ?? "standard input"}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
}
let input: unknown;
try {
  input = JSON.parse(text);
} catch (error) {
  refuse(`not JSON: ${(error as Error).message}`);
}

try {
  const problem =
    isRecord(input) && Object.keys(overrides).length > 0 ? { ...input, options: { ...(isRecord(input.options) ? input.options : {}), ...overrides } } : input;
  const solution = await solveMatching(problem, { clock: () => performance.now(), startedAt: started });
  process.stdout.write(`${JSON.stringify(solution, null, 2)}\n`);
  if (timing) {
    const cpu = process.cpuUsage(cpuStarted);
    process.stderr.write(
      `${solution.status} (${solution.stoppedBy}) objective ${solution.objective}, bound ${solution.bound}, gap ${(solution.gap * 100).toFixed(4)} %, work ${solution.work}; wall ${((performance.now() - started) / 1000).toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s\n`,
    );
  }
  if (check) {
    const failures = checkSolution(problem as Parameters<typeof checkSolution>[0], solution);
    if (failures.length > 0) {
      process.stderr.write(`check failed:\n${failures.map((f) => `  ${f}`).join("\n")}\n`);
      process.exit(1);
    }
    process.stderr.write("check passed: every constraint holds, the objective adds up, the bound is not below it\n");
  }
} catch (error) {
  if (error instanceof ProblemError)
    refuse(
      `invalid problem:\n${error.issues
        .slice(0, 20)
        .map((issue) => `  ${issue.path ? `${issue.path}: ` : ""}${issue.message}`)
        .join("\n")}${error.issues.length > 20 ? `\n  and ${error.issues.length - 20} more` : ""}`,
    );
  process.stderr.write(`internal error: ${(error as Error).message?.split("\n")[0]?.slice(0, 300) ?? String(error)}\n`);
  process.exit(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
