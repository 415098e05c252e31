// What every service call receives: the database, who is calling, and the clock.
import type { PrismaClient } from "./generated/prisma/client";
import type { TokenService } from "./auth/tokens";
import type { Viewer } from "./auth/viewer";
import type { JobRunner } from "./jobs/runner";
import type { Plan, PlannerInput } from "./housing/planner.model";
import type { Lang } from "./i18n";

export interface ServiceContext {
  prisma: PrismaClient;
  tokens: TokenService;
  viewer: Viewer | null;
  now: () => Date;
  /** Where long work (matching runs) is handed over. */
  jobs: JobRunner;
  /** Plans a shared house (default: on the calling thread; main.ts passes a solver pool's). */
  planner?: (input: PlannerInput) => Promise<Plan>;
  /** The caller's language, for the few words a service puts in what it returns (an erased name). */
  lang?: Lang;
}
