-- AlterTable
ALTER TABLE "Citizen" ADD COLUMN     "erasedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Family" ADD COLUMN     "erasedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailVerifiedAt" TIMESTAMP(3),
ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "tokenVersion" INTEGER NOT NULL DEFAULT 0;

-- Matching runs keep ids only: names are read when a run is shown, so an erased person reads
-- as such and erasure never edits a run's JSON.
UPDATE "MatchingRun" SET "compiled" = "compiled" - 'names' WHERE "compiled" ? 'names';
UPDATE "MatchingRun" SET "summary" = "summary" - 'names' WHERE "summary" ? 'names';

-- People erased before this migration, recognised by what erasure wrote: their tokens end.
UPDATE "Citizen" SET "erasedAt" = "updatedAt" WHERE "email" LIKE 'erased-%@invalid';
UPDATE "User" SET "erasedAt" = "updatedAt", "tokenVersion" = "tokenVersion" + 1 WHERE "email" LIKE 'erased-%@invalid';
UPDATE "Family" SET "erasedAt" = "updatedAt" WHERE "referenceName" LIKE '[cancellato] %';

-- Notifications name things by id now (the pact's title is read when shown), and the texts older
-- ones copied (a task's title, a pact's title) may name a family.
UPDATE "Notification" SET "params" = "params" - 'task' - 'pact' WHERE "params" ? 'task' OR "params" ? 'pact';

-- Every free-text column where a person may be named (FREE_TEXT in
-- src/privacy/privacy.service.ts) is recorded in the audit log as changed, without its value,
-- so that erasure never needs to touch the log.
DROP TRIGGER "MicroProject_audit" ON "MicroProject";
CREATE TRIGGER "MicroProject_audit" AFTER INSERT OR UPDATE OR DELETE ON "MicroProject" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('title', 'goal', 'coDesignLab');
DROP TRIGGER "CollaborationPact_audit" ON "CollaborationPact";
CREATE TRIGGER "CollaborationPact_audit" AFTER INSERT OR UPDATE OR DELETE ON "CollaborationPact" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('title', 'objectives', 'rolesAndCommitments', 'formsOfSupport', 'monitoringAndReporting', 'suspensionAndTermination');
DROP TRIGGER "HousingActivity_audit" ON "HousingActivity";
CREATE TRIGGER "HousingActivity_audit" AFTER INSERT OR UPDATE OR DELETE ON "HousingActivity" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('name');
DROP TRIGGER "MatchingRun_audit" ON "MatchingRun";
CREATE TRIGGER "MatchingRun_audit" AFTER INSERT OR UPDATE OR DELETE ON "MatchingRun" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('problem', 'compiled', 'solution', 'explanation', 'summary', 'error');
