-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'COORDINATOR', 'TUTOR', 'CITIZEN');

-- CreateEnum
CREATE TYPE "Locale" AS ENUM ('IT', 'EN');

-- CreateEnum
CREATE TYPE "EnrolmentStatus" AS ENUM ('APPLICANT', 'ENROLLED', 'SUSPENDED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "LanguageLevel" AS ENUM ('A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'NATIVE');

-- CreateEnum
CREATE TYPE "ActivityKind" AS ENUM ('HOMEWORK_HELP', 'LANGUAGE_CONVERSATION', 'ACCOMPANIMENT', 'JOB_SEARCH', 'CHILDCARE', 'TRANSPORT', 'CULTURAL_MEDIATION', 'HOUSING_SUPPORT', 'ADMINISTRATIVE_HELP', 'SOCIAL_ACTIVITY');

-- CreateEnum
CREATE TYPE "AvailabilityExceptionKind" AS ENUM ('UNAVAILABLE', 'AVAILABLE');

-- CreateTable
CREATE TABLE "Territory" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Territory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Municipality" (
    "id" TEXT NOT NULL,
    "istatCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "province" TEXT NOT NULL,
    "area" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "territoryId" TEXT NOT NULL,

    CONSTRAINT "Municipality_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TravelTime" (
    "fromId" TEXT NOT NULL,
    "toId" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,

    CONSTRAINT "TravelTime_pkey" PRIMARY KEY ("fromId","toId")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT,
    "role" "Role" NOT NULL,
    "locale" "Locale" NOT NULL DEFAULT 'IT',
    "displayName" TEXT NOT NULL,
    "territoryId" TEXT,
    "oidcSubject" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Skill" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "nameIt" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "activityKinds" "ActivityKind"[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Skill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingCourse" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "nameIt" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "validityMonths" INTEGER,
    "requiredForEnrolment" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "TrainingCourse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Citizen" (
    "id" TEXT NOT NULL,
    "userId" TEXT,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT,
    "birthDate" DATE NOT NULL,
    "homeMunicipalityId" TEXT NOT NULL,
    "weeklyHourLimit" INTEGER NOT NULL,
    "maxTravelMinutes" INTEGER NOT NULL,
    "preferredActivityKinds" "ActivityKind"[],
    "status" "EnrolmentStatus" NOT NULL DEFAULT 'APPLICANT',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Citizen_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CitizenLanguage" (
    "citizenId" TEXT NOT NULL,
    "languageCode" TEXT NOT NULL,
    "level" "LanguageLevel" NOT NULL,

    CONSTRAINT "CitizenLanguage_pkey" PRIMARY KEY ("citizenId","languageCode")
);

-- CreateTable
CREATE TABLE "CitizenSkill" (
    "citizenId" TEXT NOT NULL,
    "skillId" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "verifiedById" TEXT,
    "verifiedAt" TIMESTAMP(3),

    CONSTRAINT "CitizenSkill_pkey" PRIMARY KEY ("citizenId","skillId")
);

-- CreateTable
CREATE TABLE "AvailabilityWindow" (
    "id" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "startMinute" INTEGER NOT NULL,
    "endMinute" INTEGER NOT NULL,

    CONSTRAINT "AvailabilityWindow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AvailabilityException" (
    "id" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "kind" "AvailabilityExceptionKind" NOT NULL,
    "fromDate" DATE NOT NULL,
    "toDate" DATE NOT NULL,
    "startMinute" INTEGER,
    "endMinute" INTEGER,
    "note" TEXT,

    CONSTRAINT "AvailabilityException_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingRecord" (
    "id" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "completedOn" DATE NOT NULL,
    "expiresOn" DATE,
    "recordedById" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CriminalRecordCheck" (
    "id" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "checkedOn" DATE NOT NULL,
    "expiresOn" DATE NOT NULL,
    "recordedById" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CriminalRecordCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsuranceCover" (
    "id" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "policyNumber" TEXT NOT NULL,
    "insurer" TEXT,
    "validFrom" DATE NOT NULL,
    "validTo" DATE NOT NULL,
    "recordedById" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsuranceCover_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrolmentEvent" (
    "id" TEXT NOT NULL,
    "citizenId" TEXT NOT NULL,
    "fromStatus" "EnrolmentStatus",
    "toStatus" "EnrolmentStatus" NOT NULL,
    "byUserId" TEXT,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnrolmentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Territory_code_key" ON "Territory"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Municipality_istatCode_key" ON "Municipality"("istatCode");

-- CreateIndex
CREATE INDEX "Municipality_territoryId_idx" ON "Municipality"("territoryId");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_oidcSubject_key" ON "User"("oidcSubject");

-- CreateIndex
CREATE INDEX "User_territoryId_idx" ON "User"("territoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Skill_code_key" ON "Skill"("code");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingCourse_code_key" ON "TrainingCourse"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Citizen_userId_key" ON "Citizen"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Citizen_email_key" ON "Citizen"("email");

-- CreateIndex
CREATE INDEX "Citizen_homeMunicipalityId_status_idx" ON "Citizen"("homeMunicipalityId", "status");

-- CreateIndex
CREATE INDEX "Citizen_status_idx" ON "Citizen"("status");

-- CreateIndex
CREATE INDEX "Citizen_lastName_firstName_id_idx" ON "Citizen"("lastName", "firstName", "id");

-- CreateIndex
CREATE INDEX "CitizenLanguage_languageCode_idx" ON "CitizenLanguage"("languageCode");

-- CreateIndex
CREATE INDEX "CitizenSkill_skillId_level_idx" ON "CitizenSkill"("skillId", "level");

-- CreateIndex
CREATE INDEX "AvailabilityWindow_citizenId_idx" ON "AvailabilityWindow"("citizenId");

-- CreateIndex
CREATE INDEX "AvailabilityException_citizenId_idx" ON "AvailabilityException"("citizenId");

-- CreateIndex
CREATE INDEX "TrainingRecord_citizenId_idx" ON "TrainingRecord"("citizenId");

-- CreateIndex
CREATE INDEX "CriminalRecordCheck_citizenId_idx" ON "CriminalRecordCheck"("citizenId");

-- CreateIndex
CREATE INDEX "InsuranceCover_citizenId_idx" ON "InsuranceCover"("citizenId");

-- CreateIndex
CREATE INDEX "EnrolmentEvent_citizenId_at_idx" ON "EnrolmentEvent"("citizenId", "at");

-- AddForeignKey
ALTER TABLE "Municipality" ADD CONSTRAINT "Municipality_territoryId_fkey" FOREIGN KEY ("territoryId") REFERENCES "Territory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TravelTime" ADD CONSTRAINT "TravelTime_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Municipality"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TravelTime" ADD CONSTRAINT "TravelTime_toId_fkey" FOREIGN KEY ("toId") REFERENCES "Municipality"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_territoryId_fkey" FOREIGN KEY ("territoryId") REFERENCES "Territory"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citizen" ADD CONSTRAINT "Citizen_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Citizen" ADD CONSTRAINT "Citizen_homeMunicipalityId_fkey" FOREIGN KEY ("homeMunicipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CitizenLanguage" ADD CONSTRAINT "CitizenLanguage_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CitizenSkill" ADD CONSTRAINT "CitizenSkill_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CitizenSkill" ADD CONSTRAINT "CitizenSkill_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AvailabilityWindow" ADD CONSTRAINT "AvailabilityWindow_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AvailabilityException" ADD CONSTRAINT "AvailabilityException_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "TrainingCourse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CriminalRecordCheck" ADD CONSTRAINT "CriminalRecordCheck_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsuranceCover" ADD CONSTRAINT "InsuranceCover_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrolmentEvent" ADD CONSTRAINT "EnrolmentEvent_citizenId_fkey" FOREIGN KEY ("citizenId") REFERENCES "Citizen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Checks the data model cannot express. The services validate first, these are the last line.
ALTER TABLE "AvailabilityWindow" ADD CONSTRAINT "AvailabilityWindow_valid" CHECK ("weekday" BETWEEN 1 AND 7 AND "startMinute" >= 0 AND "endMinute" <= 1440 AND "startMinute" < "endMinute");
ALTER TABLE "AvailabilityException" ADD CONSTRAINT "AvailabilityException_valid" CHECK ("toDate" >= "fromDate" AND (("startMinute" IS NULL AND "endMinute" IS NULL) OR ("startMinute" >= 0 AND "endMinute" <= 1440 AND "startMinute" < "endMinute")));
ALTER TABLE "CitizenSkill" ADD CONSTRAINT "CitizenSkill_level" CHECK ("level" BETWEEN 1 AND 3);
ALTER TABLE "Citizen" ADD CONSTRAINT "Citizen_limits" CHECK ("weeklyHourLimit" BETWEEN 1 AND 60 AND "maxTravelMinutes" BETWEEN 0 AND 600);
ALTER TABLE "InsuranceCover" ADD CONSTRAINT "InsuranceCover_dates" CHECK ("validTo" >= "validFrom");
ALTER TABLE "CriminalRecordCheck" ADD CONSTRAINT "CriminalRecordCheck_dates" CHECK ("expiresOn" >= "checkedOn");
ALTER TABLE "TrainingRecord" ADD CONSTRAINT "TrainingRecord_dates" CHECK ("expiresOn" IS NULL OR "expiresOn" >= "completedOn");
ALTER TABLE "TravelTime" ADD CONSTRAINT "TravelTime_minutes" CHECK ("minutes" >= 0);
