-- CreateEnum
CREATE TYPE "PlanArea" AS ENUM ('HOUSING', 'WORK', 'LANGUAGE', 'SCHOOL', 'HEALTH', 'DOCUMENTS', 'SOCIAL_TIES');

-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('DRAFT', 'ACTIVE', 'COMPLETED', 'CLOSED');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('OPEN', 'PARTIALLY_FILLED', 'FILLED', 'DONE', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ScheduleKind" AS ENUM ('ONE_OFF', 'WEEKLY');

-- CreateEnum
CREATE TYPE "PactStatus" AS ENUM ('PROPOSED', 'UNDER_REVIEW', 'ACTIVE', 'SUSPENDED', 'CONCLUDED', 'EXPIRED', 'REVOKED');

-- CreateEnum
CREATE TYPE "CommitmentStatus" AS ENUM ('ACTIVE', 'WITHDRAWN', 'CANCELLED');

-- CreateEnum
CREATE TYPE "HoursEntryKind" AS ENUM ('LOGGED', 'CONFIRMED', 'CORRECTED');

-- CreateTable
CREATE TABLE "Regulation" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "minimumAge" INTEGER NOT NULL,
    "maxWeeklyHours" INTEGER NOT NULL,
    "minorsRequireCriminalRecordCheck" BOOLEAN NOT NULL,
    "travelCountsAsHours" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Regulation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegulationTraining" (
    "id" TEXT NOT NULL,
    "regulationId" TEXT NOT NULL,
    "activityKind" "ActivityKind",
    "forMinors" BOOLEAN NOT NULL DEFAULT false,
    "courseId" TEXT NOT NULL,

    CONSTRAINT "RegulationTraining_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Family" (
    "id" TEXT NOT NULL,
    "territoryId" TEXT NOT NULL,
    "referenceName" TEXT NOT NULL,
    "municipalityId" TEXT NOT NULL,
    "address" TEXT,
    "languages" TEXT[],
    "coordinatorId" TEXT NOT NULL,
    "livesInSharedHousing" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Family_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FamilyMember" (
    "id" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "isMinor" BOOLEAN NOT NULL,
    "birthYear" INTEGER NOT NULL,

    CONSTRAINT "FamilyMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutonomyPlan" (
    "id" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "status" "PlanStatus" NOT NULL DEFAULT 'DRAFT',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AutonomyPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanGoal" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "area" "PlanArea" NOT NULL,
    "description" TEXT NOT NULL,
    "achieved" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "PlanGoal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MicroProject" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "goal" TEXT NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "coDesignLab" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MicroProject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "microProjectId" TEXT NOT NULL,
    "territoryId" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "activityKind" "ActivityKind" NOT NULL,
    "requiredSkillId" TEXT NOT NULL,
    "minSkillLevel" INTEGER NOT NULL,
    "requiredLanguages" TEXT[],
    "preferredLanguages" TEXT[],
    "minLanguageLevel" "LanguageLevel" NOT NULL DEFAULT 'A2',
    "municipalityId" TEXT,
    "address" TEXT,
    "remote" BOOLEAN NOT NULL DEFAULT false,
    "durationMinutes" INTEGER NOT NULL,
    "headcount" INTEGER NOT NULL,
    "priority" INTEGER NOT NULL,
    "involvesMinors" BOOLEAN NOT NULL,
    "requiredCourseIds" TEXT[],
    "continuity" BOOLEAN NOT NULL DEFAULT false,
    "status" "TaskStatus" NOT NULL DEFAULT 'OPEN',
    "scheduleKind" "ScheduleKind" NOT NULL,
    "startDate" DATE NOT NULL,
    "startMinute" INTEGER NOT NULL,
    "weekdays" INTEGER[],
    "intervalWeeks" INTEGER NOT NULL DEFAULT 1,
    "untilDate" DATE,
    "count" INTEGER,
    "cancelledDates" DATE[],
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskOccurrence" (
    "id" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "localDate" DATE NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'OPEN',

    CONSTRAINT "TaskOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollaborationPact" (
    "id" TEXT NOT NULL,
    "territoryId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "objectives" TEXT NOT NULL,
    "activityKinds" "ActivityKind"[],
    "municipalityIds" TEXT[],
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "hourBudgetMinutes" INTEGER NOT NULL,
    "rolesAndCommitments" TEXT NOT NULL,
    "insurancePolicy" TEXT NOT NULL,
    "insuranceFrom" DATE NOT NULL,
    "insuranceTo" DATE NOT NULL,
    "requiredCourseIds" TEXT[],
    "formsOfSupport" TEXT NOT NULL,
    "monitoringAndReporting" TEXT NOT NULL,
    "suspensionAndTermination" TEXT NOT NULL,
    "status" "PactStatus" NOT NULL DEFAULT 'PROPOSED',
    "signedById" TEXT,
    "signedAt" TIMESTAMP(3),
    "previousPactId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollaborationPact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PactCitizen" (
    "pactId" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,

    CONSTRAINT "PactCitizen_pkey" PRIMARY KEY ("pactId","citizenId")
);

-- CreateTable
CREATE TABLE "PactEvent" (
    "id" TEXT NOT NULL,
    "pactId" TEXT NOT NULL,
    "fromStatus" "PactStatus",
    "toStatus" "PactStatus" NOT NULL,
    "byUserId" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PactEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Commitment" (
    "id" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "occurrenceId" TEXT NOT NULL,
    "pactId" TEXT NOT NULL,
    "plannedMinutes" INTEGER NOT NULL,
    "status" "CommitmentStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Commitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HoursEntry" (
    "id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "kind" "HoursEntryKind" NOT NULL,
    "commitmentId" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "pactId" TEXT NOT NULL,
    "occurrenceId" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "note" TEXT,
    "refersToId" TEXT,
    "byUserId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HoursEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Regulation_version_key" ON "Regulation"("version");

-- CreateIndex
CREATE INDEX "RegulationTraining_regulationId_idx" ON "RegulationTraining"("regulationId");

-- CreateIndex
CREATE INDEX "Family_territoryId_idx" ON "Family"("territoryId");

-- CreateIndex
CREATE INDEX "FamilyMember_familyId_idx" ON "FamilyMember"("familyId");

-- CreateIndex
CREATE INDEX "AutonomyPlan_familyId_idx" ON "AutonomyPlan"("familyId");

-- CreateIndex
CREATE INDEX "PlanGoal_planId_idx" ON "PlanGoal"("planId");

-- CreateIndex
CREATE INDEX "MicroProject_planId_idx" ON "MicroProject"("planId");

-- CreateIndex
CREATE INDEX "Task_territoryId_status_idx" ON "Task"("territoryId", "status");

-- CreateIndex
CREATE INDEX "Task_familyId_idx" ON "Task"("familyId");

-- CreateIndex
CREATE INDEX "TaskOccurrence_startsAt_idx" ON "TaskOccurrence"("startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "TaskOccurrence_taskId_startsAt_key" ON "TaskOccurrence"("taskId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "CollaborationPact_previousPactId_key" ON "CollaborationPact"("previousPactId");

-- CreateIndex
CREATE INDEX "CollaborationPact_territoryId_status_idx" ON "CollaborationPact"("territoryId", "status");

-- CreateIndex
CREATE INDEX "PactCitizen_citizenId_idx" ON "PactCitizen"("citizenId");

-- CreateIndex
CREATE INDEX "PactEvent_pactId_at_idx" ON "PactEvent"("pactId", "at");

-- CreateIndex
CREATE INDEX "Commitment_citizenId_status_idx" ON "Commitment"("citizenId", "status");

-- CreateIndex
CREATE INDEX "Commitment_occurrenceId_status_idx" ON "Commitment"("occurrenceId", "status");

-- CreateIndex
CREATE INDEX "Commitment_pactId_status_idx" ON "Commitment"("pactId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "HoursEntry_seq_key" ON "HoursEntry"("seq");

-- CreateIndex
CREATE INDEX "HoursEntry_commitmentId_at_idx" ON "HoursEntry"("commitmentId", "at");

-- CreateIndex
CREATE INDEX "HoursEntry_pactId_idx" ON "HoursEntry"("pactId");

-- CreateIndex
CREATE INDEX "HoursEntry_citizenId_idx" ON "HoursEntry"("citizenId");

-- CreateIndex
CREATE INDEX "HoursEntry_familyId_idx" ON "HoursEntry"("familyId");

-- AddForeignKey
ALTER TABLE "RegulationTraining" ADD CONSTRAINT "RegulationTraining_regulationId_fkey" FOREIGN KEY ("regulationId") REFERENCES "Regulation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Family" ADD CONSTRAINT "Family_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FamilyMember" ADD CONSTRAINT "FamilyMember_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "Family"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutonomyPlan" ADD CONSTRAINT "AutonomyPlan_familyId_fkey" FOREIGN KEY ("familyId") REFERENCES "Family"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanGoal" ADD CONSTRAINT "PlanGoal_planId_fkey" FOREIGN KEY ("planId") REFERENCES "AutonomyPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MicroProject" ADD CONSTRAINT "MicroProject_planId_fkey" FOREIGN KEY ("planId") REFERENCES "AutonomyPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_microProjectId_fkey" FOREIGN KEY ("microProjectId") REFERENCES "MicroProject"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_requiredSkillId_fkey" FOREIGN KEY ("requiredSkillId") REFERENCES "Skill"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskOccurrence" ADD CONSTRAINT "TaskOccurrence_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CollaborationPact" ADD CONSTRAINT "CollaborationPact_previousPactId_fkey" FOREIGN KEY ("previousPactId") REFERENCES "CollaborationPact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PactCitizen" ADD CONSTRAINT "PactCitizen_pactId_fkey" FOREIGN KEY ("pactId") REFERENCES "CollaborationPact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PactCitizen" ADD CONSTRAINT "PactCitizen_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PactEvent" ADD CONSTRAINT "PactEvent_pactId_fkey" FOREIGN KEY ("pactId") REFERENCES "CollaborationPact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "TaskOccurrence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_pactId_fkey" FOREIGN KEY ("pactId") REFERENCES "CollaborationPact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HoursEntry" ADD CONSTRAINT "HoursEntry_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "Commitment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HoursEntry" ADD CONSTRAINT "HoursEntry_pactId_fkey" FOREIGN KEY ("pactId") REFERENCES "CollaborationPact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HoursEntry" ADD CONSTRAINT "HoursEntry_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "TaskOccurrence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Checks the data model cannot express. The services validate first, these are the last line.
ALTER TABLE "Regulation" ADD CONSTRAINT "Regulation_limits" CHECK ("minimumAge" BETWEEN 14 AND 99 AND "maxWeeklyHours" BETWEEN 1 AND 60);
ALTER TABLE "FamilyMember" ADD CONSTRAINT "FamilyMember_birthYear" CHECK ("birthYear" BETWEEN 1900 AND 2200);
ALTER TABLE "MicroProject" ADD CONSTRAINT "MicroProject_dates" CHECK ("endDate" >= "startDate");
ALTER TABLE "Task" ADD CONSTRAINT "Task_values" CHECK ("headcount" >= 1 AND "priority" BETWEEN 1 AND 5 AND "minSkillLevel" BETWEEN 1 AND 3 AND "durationMinutes" > 0 AND "startMinute" BETWEEN 0 AND 1439 AND "intervalWeeks" >= 1);
ALTER TABLE "TaskOccurrence" ADD CONSTRAINT "TaskOccurrence_interval" CHECK ("endsAt" > "startsAt");
ALTER TABLE "CollaborationPact" ADD CONSTRAINT "CollaborationPact_values" CHECK ("endDate" >= "startDate" AND "insuranceTo" >= "insuranceFrom" AND "hourBudgetMinutes" >= 0);
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_minutes" CHECK ("plannedMinutes" > 0);
ALTER TABLE "HoursEntry" ADD CONSTRAINT "HoursEntry_minutes" CHECK ("minutes" >= 0);
-- A citizen holds at most one active commitment per occurrence.
CREATE UNIQUE INDEX "Commitment_one_active_per_citizen_occurrence" ON "Commitment" ("citizenId", "occurrenceId") WHERE "status" = 'ACTIVE';
