-- DropIndex
DROP INDEX "MatchingRun_territoryId_weekStart_inputVersion_key";

-- AlterTable
ALTER TABLE "MatchingRun" ALTER COLUMN "inputVersion" DROP NOT NULL,
ALTER COLUMN "problem" DROP NOT NULL,
ALTER COLUMN "compiled" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "MatchingRun_territoryId_weekStart_inputVersion_idx" ON "MatchingRun"("territoryId", "weekStart", "inputVersion");
