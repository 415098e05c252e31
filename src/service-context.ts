// What every service call receives: the database, who is calling, and the clock.
import type { PrismaClient } from "./generated/prisma/client";
import type { TokenService } from "./auth/tokens";
import type { Viewer } from "./auth/viewer";

export interface ServiceContext {
  prisma: PrismaClient;
  tokens: TokenService;
  viewer: Viewer | null;
  now: () => Date;
}
