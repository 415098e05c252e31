-- AlterTable
ALTER TABLE "MatchingRun" ADD COLUMN     "skippedAsked" INTEGER,
ADD COLUMN     "skippedNoSeat" INTEGER;
