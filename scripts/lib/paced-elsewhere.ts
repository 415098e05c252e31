// The open-loop load of scripts/lib/paced.ts sent from a process of its own: readers measured
// beside a burst sent by the benchmark's process must not wait for that process's own event loop
// (500 requests being sent and answered there delayed readers by a second that the API never saw).
// Run as a script, it reads its options as JSON on standard input and writes the result to standard output.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pacedLoad, type PacedResult } from "./paced";

export interface ElsewhereLoad {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  /** The body of every request. */
  body: string;
  /** Each request carries one of these bearer tokens, at random. */
  tokens: string[];
  /** A 200 answer counts as an error unless its body holds this text. */
  expect: string;
}

/** Runs the load in a child process; resolves when it has finished. */
export function pacedLoadElsewhere(load: ElsewhereLoad): Promise<PacedResult> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (chunk) => (out += chunk));
  child.stdin!.end(JSON.stringify(load));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as PacedResult) : reject(new Error(`paced load exited with ${code}`))));
  });
}

async function runHere() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const load = JSON.parse(input) as ElsewhereLoad;
  const result = await pacedLoad({
    url: load.url,
    rate: load.rate,
    seconds: load.seconds,
    connections: load.connections,
    next: () => ({ body: load.body, headers: { authorization: `Bearer ${load.tokens[Math.floor(Math.random() * load.tokens.length)]}` } }),
    check: (_status, body) => body.includes(load.expect),
  });
  process.stdout.write(JSON.stringify(result));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runHere();
