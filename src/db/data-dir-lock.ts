// One process only may open an embedded data directory: PGlite has no locking of its own
// and two writers would corrupt it. The lock is a file holding the owner's pid; a lock whose
// process is gone is stale and taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export class DataDirectoryLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(`The data directory ${dataDir} is already in use by process ${ownerPid}. Stop that process, or set DATA_DIR to another directory.`);
    this.name = "DataDirectoryLockedError";
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface DataDirectoryLock {
  release(): void;
}

export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, "legami.lock");
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(lockPath, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const ownerPid = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
      if (Number.isInteger(ownerPid) && processIsAlive(ownerPid)) throw new DataDirectoryLockedError(dataDir, ownerPid);
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirectoryLockedError(dataDir, Number.NaN);
}
