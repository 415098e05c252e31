-- CreateEnum
CREATE TYPE "OfferStatus" AS ENUM ('OFFERED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN');

-- AlterTable
ALTER TABLE "MatchingRun" ADD COLUMN     "publishedAt" TIMESTAMP(3),
ADD COLUMN     "publishedById" TEXT;

-- CreateTable
CREATE TABLE "Offer" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "occurrenceId" TEXT NOT NULL,
    "status" "OfferStatus" NOT NULL DEFAULT 'OFFERED',
    "deadline" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "respondedAt" TIMESTAMP(3),

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Offer_citizenId_status_idx" ON "Offer"("citizenId", "status");

-- CreateIndex
CREATE INDEX "Offer_occurrenceId_status_idx" ON "Offer"("occurrenceId", "status");

-- CreateIndex
CREATE INDEX "Offer_status_deadline_idx" ON "Offer"("status", "deadline");

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_runId_fkey" FOREIGN KEY ("runId") REFERENCES "MatchingRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A citizen holds at most one open offer per occurrence.
CREATE UNIQUE INDEX "Offer_one_open_per_citizen_occurrence" ON "Offer" ("citizenId", "occurrenceId") WHERE "status" = 'OFFERED';
