-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorRole" TEXT NOT NULL,
    "requestId" TEXT,
    "tableName" TEXT NOT NULL,
    "rowId" TEXT,
    "action" TEXT NOT NULL,
    "changes" JSONB NOT NULL,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_tableName_rowId_idx" ON "AuditLog"("tableName", "rowId");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_at_idx" ON "AuditLog"("actorId", "at");

-- The audit trigger. Its body is an E-string whose semicolons are written as \073, because the
-- PostgreSQL driver adapter splits migration scripts on semicolons. For each written row it
-- records the fields whose value changed, with before and after, except the fields named in the
-- trigger's arguments (personal or bulky): those are recorded as changed, without values. The
-- actor comes from settings the service sets at the start of each transaction (src/db/audit.ts),
-- SYSTEM when none is set (jobs, migrations, the demo loader).
CREATE FUNCTION "legami_audit"() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  before_row jsonb := ''{}''::jsonb\073
  after_row jsonb := ''{}''::jsonb\073
  changes jsonb := ''{}''::jsonb\073
  field text\073
BEGIN
  IF TG_OP <> ''INSERT'' THEN before_row := to_jsonb(OLD)\073 END IF\073
  IF TG_OP <> ''DELETE'' THEN after_row := to_jsonb(NEW)\073 END IF\073
  FOR field IN SELECT jsonb_object_keys(before_row || after_row) LOOP
    IF (before_row -> field) IS DISTINCT FROM (after_row -> field) THEN
      IF field = ANY (TG_ARGV) THEN
        changes := changes || jsonb_build_object(field, jsonb_build_object(''hidden'', true))\073
      ELSE
        changes := changes || jsonb_build_object(field, jsonb_build_object(''before'', before_row -> field, ''after'', after_row -> field))\073
      END IF\073
    END IF\073
  END LOOP\073
  IF changes = ''{}''::jsonb THEN RETURN NULL\073 END IF\073
  INSERT INTO "AuditLog" ("at", "actorId", "actorRole", "requestId", "tableName", "rowId", "action", "changes")
  VALUES (clock_timestamp(), nullif(current_setting(''legami.actor_id'', true), ''''),
          coalesce(nullif(current_setting(''legami.actor_role'', true), ''''), ''SYSTEM''),
          nullif(current_setting(''legami.request_id'', true), ''''), TG_TABLE_NAME,
          coalesce(after_row ->> ''id'', before_row ->> ''id''), TG_OP, changes)\073
  RETURN NULL\073
END';

-- The audit log is append-only: updates, deletes and truncation are refused.
CREATE FUNCTION "legami_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''the audit log is append-only'' USING ERRCODE = ''42501''\073 END';

CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION "legami_audit_append_only"();

CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog" FOR EACH STATEMENT EXECUTE FUNCTION "legami_audit_append_only"();

-- One audit trigger per domain table, its arguments the fields recorded without values.
-- Sign-in throttling state is not audited.
CREATE TRIGGER "Territory_audit" AFTER INSERT OR UPDATE OR DELETE ON "Territory" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "Municipality_audit" AFTER INSERT OR UPDATE OR DELETE ON "Municipality" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "TravelTime_audit" AFTER INSERT OR UPDATE OR DELETE ON "TravelTime" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "User_audit" AFTER INSERT OR UPDATE OR DELETE ON "User" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('email', 'passwordHash', 'displayName', 'oidcSubject');
CREATE TRIGGER "Skill_audit" AFTER INSERT OR UPDATE OR DELETE ON "Skill" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "TrainingCourse_audit" AFTER INSERT OR UPDATE OR DELETE ON "TrainingCourse" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "Citizen_audit" AFTER INSERT OR UPDATE OR DELETE ON "Citizen" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('firstName', 'lastName', 'email', 'phone', 'birthDate');
CREATE TRIGGER "CitizenLanguage_audit" AFTER INSERT OR UPDATE OR DELETE ON "CitizenLanguage" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "CitizenSkill_audit" AFTER INSERT OR UPDATE OR DELETE ON "CitizenSkill" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "AvailabilityWindow_audit" AFTER INSERT OR UPDATE OR DELETE ON "AvailabilityWindow" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "AvailabilityException_audit" AFTER INSERT OR UPDATE OR DELETE ON "AvailabilityException" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('note');
CREATE TRIGGER "TrainingRecord_audit" AFTER INSERT OR UPDATE OR DELETE ON "TrainingRecord" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "CriminalRecordCheck_audit" AFTER INSERT OR UPDATE OR DELETE ON "CriminalRecordCheck" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "InsuranceCover_audit" AFTER INSERT OR UPDATE OR DELETE ON "InsuranceCover" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('policyNumber');
CREATE TRIGGER "EnrolmentEvent_audit" AFTER INSERT OR UPDATE OR DELETE ON "EnrolmentEvent" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('reason');
CREATE TRIGGER "Regulation_audit" AFTER INSERT OR UPDATE OR DELETE ON "Regulation" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "RegulationTraining_audit" AFTER INSERT OR UPDATE OR DELETE ON "RegulationTraining" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "Family_audit" AFTER INSERT OR UPDATE OR DELETE ON "Family" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('referenceName', 'address');
CREATE TRIGGER "FamilyMember_audit" AFTER INSERT OR UPDATE OR DELETE ON "FamilyMember" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('firstName', 'birthYear');
CREATE TRIGGER "AutonomyPlan_audit" AFTER INSERT OR UPDATE OR DELETE ON "AutonomyPlan" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "PlanGoal_audit" AFTER INSERT OR UPDATE OR DELETE ON "PlanGoal" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('description');
CREATE TRIGGER "MicroProject_audit" AFTER INSERT OR UPDATE OR DELETE ON "MicroProject" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "Task_audit" AFTER INSERT OR UPDATE OR DELETE ON "Task" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('title', 'address', 'description');
CREATE TRIGGER "TaskOccurrence_audit" AFTER INSERT OR UPDATE OR DELETE ON "TaskOccurrence" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "CollaborationPact_audit" AFTER INSERT OR UPDATE OR DELETE ON "CollaborationPact" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('title');
CREATE TRIGGER "PactCitizen_audit" AFTER INSERT OR UPDATE OR DELETE ON "PactCitizen" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "PactEvent_audit" AFTER INSERT OR UPDATE OR DELETE ON "PactEvent" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('reason');
CREATE TRIGGER "Commitment_audit" AFTER INSERT OR UPDATE OR DELETE ON "Commitment" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "HoursEntry_audit" AFTER INSERT OR UPDATE OR DELETE ON "HoursEntry" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('note');
CREATE TRIGGER "MatchingRun_audit" AFTER INSERT OR UPDATE OR DELETE ON "MatchingRun" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('problem', 'solution');
CREATE TRIGGER "MatchingDecision_audit" AFTER INSERT OR UPDATE OR DELETE ON "MatchingDecision" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "Offer_audit" AFTER INSERT OR UPDATE OR DELETE ON "Offer" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('declineReason');
CREATE TRIGGER "Notification_audit" AFTER INSERT OR UPDATE OR DELETE ON "Notification" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('params');
CREATE TRIGGER "CalendarFeed_audit" AFTER INSERT OR UPDATE OR DELETE ON "CalendarFeed" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('tokenHash');
CREATE TRIGGER "House_audit" AFTER INSERT OR UPDATE OR DELETE ON "House" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('address');
CREATE TRIGGER "CommonSpace_audit" AFTER INSERT OR UPDATE OR DELETE ON "CommonSpace" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "Household_audit" AFTER INSERT OR UPDATE OR DELETE ON "Household" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('busy');
CREATE TRIGGER "HouseTutor_audit" AFTER INSERT OR UPDATE OR DELETE ON "HouseTutor" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "HousingActivity_audit" AFTER INSERT OR UPDATE OR DELETE ON "HousingActivity" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
CREATE TRIGGER "HousePlan_audit" AFTER INSERT OR UPDATE OR DELETE ON "HousePlan" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('report');
CREATE TRIGGER "HousingOccurrence_audit" AFTER INSERT OR UPDATE OR DELETE ON "HousingOccurrence" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('note');
CREATE TRIGGER "HousingAttendanceRecord_audit" AFTER INSERT OR UPDATE OR DELETE ON "HousingAttendanceRecord" FOR EACH ROW EXECUTE FUNCTION "legami_audit"();
