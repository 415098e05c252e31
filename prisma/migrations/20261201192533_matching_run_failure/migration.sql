-- AlterTable
ALTER TABLE "MatchingRun" ADD COLUMN     "failureCode" TEXT,
ADD COLUMN     "failureDetails" JSONB;
