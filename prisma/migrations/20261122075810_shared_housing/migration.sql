-- CreateEnum
CREATE TYPE "HousingActivityKind" AS ENUM ('HOUSE_MEETING', 'SHARED_MEAL', 'CHORE', 'ITALIAN_CONVERSATION', 'WELCOME', 'MEDIATION', 'FREE');

-- CreateEnum
CREATE TYPE "HousingAttendance" AS ENUM ('ALL', 'ROTA', 'LISTED');

-- CreateEnum
CREATE TYPE "HousingFrequency" AS ENUM ('WEEKLY', 'TIMES');

-- CreateEnum
CREATE TYPE "HousePlanStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'DISCARDED');

-- CreateEnum
CREATE TYPE "HousingOccurrenceStatus" AS ENUM ('PLANNED', 'HELD', 'CANCELLED', 'SUPERSEDED');

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'HOUSE_PLAN_PUBLISHED';

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'RESIDENT';

-- DropForeignKey
ALTER TABLE "CalendarFeed" DROP CONSTRAINT "CalendarFeed_citizenId_fkey";

-- AlterTable
ALTER TABLE "CalendarFeed" ADD COLUMN     "houseId" TEXT,
ADD COLUMN     "householdId" TEXT,
ALTER COLUMN "citizenId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "House" (
    "id" TEXT NOT NULL,
    "territoryId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "municipalityId" TEXT NOT NULL,
    "address" TEXT,
    "quietStartMinute" INTEGER NOT NULL,
    "quietEndMinute" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "House_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommonSpace" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "opening" JSONB NOT NULL,

    CONSTRAINT "CommonSpace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Household" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "moveIn" DATE NOT NULL,
    "moveOut" DATE,
    "busy" JSONB NOT NULL,
    "contactUserId" TEXT,

    CONSTRAINT "Household_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HouseTutor" (
    "houseId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    CONSTRAINT "HouseTutor_pkey" PRIMARY KEY ("houseId","userId")
);

-- CreateTable
CREATE TABLE "HousingActivity" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "kind" "HousingActivityKind" NOT NULL,
    "name" TEXT NOT NULL,
    "spaceId" TEXT,
    "durationMinutes" INTEGER NOT NULL,
    "attendance" "HousingAttendance" NOT NULL,
    "householdIds" TEXT[],
    "householdsPerTurn" INTEGER NOT NULL DEFAULT 1,
    "frequency" "HousingFrequency" NOT NULL,
    "everyWeeks" INTEGER NOT NULL DEFAULT 1,
    "times" INTEGER NOT NULL DEFAULT 0,
    "preferredWeekdays" INTEGER[],
    "preferredStartMinute" INTEGER,
    "preferredEndMinute" INTEGER,
    "minSpacingHours" INTEGER NOT NULL DEFAULT 0,
    "mediationLanguage" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HousingActivity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HousePlan" (
    "id" TEXT NOT NULL,
    "houseId" TEXT NOT NULL,
    "periodFrom" DATE NOT NULL,
    "periodTo" DATE NOT NULL,
    "status" "HousePlanStatus" NOT NULL DEFAULT 'DRAFT',
    "report" JSONB NOT NULL,
    "optimal" BOOLEAN NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),
    "publishedById" TEXT,

    CONSTRAINT "HousePlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HousingOccurrence" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "duty" TEXT[],
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "status" "HousingOccurrenceStatus" NOT NULL DEFAULT 'PLANNED',
    "taskId" TEXT,
    "note" TEXT,
    "recordedAt" TIMESTAMP(3),
    "recordedById" TEXT,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HousingOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HousingAttendanceRecord" (
    "occurrenceId" TEXT NOT NULL,
    "householdId" TEXT NOT NULL,
    "present" BOOLEAN NOT NULL,

    CONSTRAINT "HousingAttendanceRecord_pkey" PRIMARY KEY ("occurrenceId","householdId")
);

-- CreateIndex
CREATE INDEX "House_territoryId_idx" ON "House"("territoryId");

-- CreateIndex
CREATE UNIQUE INDEX "CommonSpace_houseId_name_key" ON "CommonSpace"("houseId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Household_contactUserId_key" ON "Household"("contactUserId");

-- CreateIndex
CREATE INDEX "Household_houseId_idx" ON "Household"("houseId");

-- CreateIndex
CREATE INDEX "Household_familyId_idx" ON "Household"("familyId");

-- CreateIndex
CREATE INDEX "HouseTutor_userId_idx" ON "HouseTutor"("userId");

-- CreateIndex
CREATE INDEX "HousingActivity_houseId_idx" ON "HousingActivity"("houseId");

-- CreateIndex
CREATE INDEX "HousePlan_houseId_status_idx" ON "HousePlan"("houseId", "status");

-- CreateIndex
CREATE INDEX "HousingOccurrence_planId_idx" ON "HousingOccurrence"("planId");

-- CreateIndex
CREATE INDEX "HousingOccurrence_activityId_startsAt_idx" ON "HousingOccurrence"("activityId", "startsAt");

-- CreateIndex
CREATE INDEX "CalendarFeed_houseId_idx" ON "CalendarFeed"("houseId");

-- CreateIndex
CREATE INDEX "CalendarFeed_householdId_idx" ON "CalendarFeed"("householdId");

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "House" ADD CONSTRAINT "House_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommonSpace" ADD CONSTRAINT "CommonSpace_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "Family"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Household" ADD CONSTRAINT "Household_contactUserId_fkey" FOREIGN KEY ("contactUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HouseTutor" ADD CONSTRAINT "HouseTutor_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HouseTutor" ADD CONSTRAINT "HouseTutor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousingActivity" ADD CONSTRAINT "HousingActivity_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousingActivity" ADD CONSTRAINT "HousingActivity_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "CommonSpace"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousePlan" ADD CONSTRAINT "HousePlan_houseId_fkey" FOREIGN KEY ("houseId") REFERENCES "House"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousingOccurrence" ADD CONSTRAINT "HousingOccurrence_planId_fkey" FOREIGN KEY ("planId") REFERENCES "HousePlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousingOccurrence" ADD CONSTRAINT "HousingOccurrence_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "HousingActivity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousingAttendanceRecord" ADD CONSTRAINT "HousingAttendanceRecord_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "HousingOccurrence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HousingAttendanceRecord" ADD CONSTRAINT "HousingAttendanceRecord_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A calendar feed shows exactly one thing: a citizen's commitments, a house, or a household.
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_one_owner" CHECK (num_nonnulls("citizenId", "houseId", "householdId") = 1);

-- A household moves out after it moves in.
ALTER TABLE "Household" ADD CONSTRAINT "Household_move_dates" CHECK ("moveOut" IS NULL OR "moveOut" > "moveIn");
