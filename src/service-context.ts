// What every service call receives: the database, who is calling, and the clock.
import type { PrismaClient } from "./generated/prisma/client";
import type { TokenService } from "./auth/tokens";
import type { Viewer } from "./auth/viewer";
import type { JobRunner } from "./jobs/runner";

export interface ServiceContext {
  prisma: PrismaClient;
  tokens: TokenService;
  viewer: Viewer | null;
  now: () => Date;
  /** Where long work (matching runs) is handed over. */
  jobs: JobRunner;
}
