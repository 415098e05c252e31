-- CreateEnum
CREATE TYPE "OfferSource" AS ENUM ('RUN', 'REPLACEMENT');

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('OFFER_RECEIVED', 'OFFER_EXPIRING', 'OFFER_EXPIRED', 'COMMITMENT_REMINDER', 'COMMITMENT_CANCELLED', 'SEAT_UNFILLED', 'PACT_EXPIRING', 'DRAFT_RUN_READY');

-- DropForeignKey
ALTER TABLE "Offer" DROP CONSTRAINT "Offer_runId_fkey";

-- AlterTable
ALTER TABLE "Commitment" ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Offer" ADD COLUMN     "commitmentId" TEXT,
ADD COLUMN     "declineReason" TEXT,
ADD COLUMN     "source" "OfferSource" NOT NULL DEFAULT 'RUN',
ALTER COLUMN "runId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "params" JSONB NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "id" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Notification_key_key" ON "Notification"("key");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_tokenHash_key" ON "CalendarFeed"("tokenHash");

-- CreateIndex
CREATE INDEX "CalendarFeed_citizenId_idx" ON "CalendarFeed"("citizenId");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_commitmentId_key" ON "Offer"("commitmentId");

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_runId_fkey" FOREIGN KEY ("runId") REFERENCES "MatchingRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "TaskOccurrence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "Commitment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A replacement offer belongs to no run.
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_replacement_has_no_run" CHECK ("source" = 'RUN' OR "runId" IS NULL);
