-- Every run ends, and has one writer: a lease raised by each worker that takes the run (checked
-- by every write), how often it was taken, and the worker's heartbeat for the watchdog.
ALTER TABLE "MatchingRun" ADD COLUMN "lease" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "MatchingRun" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "MatchingRun" ADD COLUMN "heartbeatAt" TIMESTAMP(3);
CREATE INDEX "MatchingRun_status_idx" ON "MatchingRun"("status");
