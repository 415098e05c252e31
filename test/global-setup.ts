// Once before every test file: the service compiled to dist/ (what `npm start` and
// `npm run worker` run), for the tests that start it as a process of its own.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default function setup() {
  execFileSync(process.execPath, [join(import.meta.dirname, "..", "scripts", "build.mjs"), "--if-stale"], { stdio: "inherit" });
}
