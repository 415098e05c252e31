-- CreateEnum
CREATE TYPE "MatchingRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "MatchingDecisionKind" AS ENUM ('PIN', 'EXCLUDE');

-- CreateTable
CREATE TABLE "MatchingRun" (
    "id" TEXT NOT NULL,
    "territoryId" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "inputVersion" TEXT NOT NULL,
    "status" "MatchingRunStatus" NOT NULL DEFAULT 'QUEUED',
    "phase" TEXT NOT NULL DEFAULT 'queued',
    "componentsTotal" INTEGER NOT NULL DEFAULT 0,
    "componentsSolved" INTEGER NOT NULL DEFAULT 0,
    "problem" JSONB NOT NULL,
    "compiled" JSONB NOT NULL,
    "solution" JSONB,
    "explanation" JSONB,
    "error" TEXT,
    "previousRunId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "MatchingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatchingDecision" (
    "id" TEXT NOT NULL,
    "territoryId" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "citizenId" TEXT NOT NULL,
    "occurrenceId" TEXT NOT NULL,
    "kind" "MatchingDecisionKind" NOT NULL,
    "byUserId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MatchingDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MatchingRun_territoryId_weekStart_createdAt_idx" ON "MatchingRun"("territoryId", "weekStart", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MatchingRun_territoryId_weekStart_inputVersion_key" ON "MatchingRun"("territoryId", "weekStart", "inputVersion");

-- CreateIndex
CREATE INDEX "MatchingDecision_territoryId_weekStart_idx" ON "MatchingDecision"("territoryId", "weekStart");

-- CreateIndex
CREATE UNIQUE INDEX "MatchingDecision_weekStart_citizenId_occurrenceId_key" ON "MatchingDecision"("weekStart", "citizenId", "occurrenceId");
