-- Micro-project titles and goals may name the family: the audit log records them as changed, without values.
DROP TRIGGER "MicroProject_audit" ON "MicroProject";

CREATE TRIGGER "MicroProject_audit" AFTER INSERT OR UPDATE OR DELETE ON "MicroProject" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('title', 'goal');

-- The matching run's compiled week and explanation quote task titles, which name families.
DROP TRIGGER "MatchingRun_audit" ON "MatchingRun";

CREATE TRIGGER "MatchingRun_audit" AFTER INSERT OR UPDATE OR DELETE ON "MatchingRun" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('problem', 'compiled', 'solution', 'explanation');
