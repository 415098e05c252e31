-- House and household calendar links are per person. The links shared so far (one per house)
-- end: each person makes their own.
ALTER TABLE "CalendarFeed" ADD COLUMN "userId" TEXT;
CREATE INDEX "CalendarFeed_userId_idx" ON "CalendarFeed"("userId");
UPDATE "CalendarFeed" SET "revokedAt" = CURRENT_TIMESTAMP WHERE "userId" IS NULL AND "revokedAt" IS NULL AND ("houseId" IS NOT NULL OR "householdId" IS NOT NULL);
