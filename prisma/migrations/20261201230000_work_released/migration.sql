-- Leaving frees seats: the citizen is told when work already agreed is released.
ALTER TYPE "NotificationKind" ADD VALUE 'WORK_RELEASED';

-- Publication re-checks every pair: how many no longer held.
ALTER TABLE "MatchingRun" ADD COLUMN "skippedIneligible" INTEGER;
