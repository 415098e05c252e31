// What every service call receives: the database, who is calling, and the clock.
import type { PrismaClient } from "./generated/prisma/client";
import type { TokenService } from "./auth/tokens";
import type { Viewer } from "./auth/viewer";
import type { JobRunner } from "./jobs/runner";
import type { Plan, PlannerInput } from "./housing/planner.model";

export interface ServiceContext {
  prisma: PrismaClient;
  tokens: TokenService;
  viewer: Viewer | null;
  now: () => Date;
  /** Where long work (matching runs) is handed over. */
  jobs: JobRunner;
  /** Plans a shared house (default: on the calling thread; main.ts passes a solver pool's). */
  planner?: (input: PlannerInput) => Promise<Plan>;
}
