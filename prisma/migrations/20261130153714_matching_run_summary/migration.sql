-- AlterTable
ALTER TABLE "MatchingRun" ADD COLUMN     "summary" JSONB;

-- The summary quotes task titles (which name families), as the input does: the audit log records
-- it as changed, without values. Before the backfill, which the trigger sees.
DROP TRIGGER "MatchingRun_audit" ON "MatchingRun";

CREATE TRIGGER "MatchingRun_audit" AFTER INSERT OR UPDATE OR DELETE ON "MatchingRun" FOR EACH ROW EXECUTE FUNCTION "legami_audit"('problem', 'compiled', 'solution', 'explanation', 'summary');

-- Runs compiled before this migration: their summary from their compiled input (as
-- src/matching/run-summary.model.ts builds it), with the minutes of each proposed pair.
UPDATE "MatchingRun" r SET "summary" = jsonb_build_object(
  'occurrences', COALESCE((
    SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('id', o->'id', 'headcount', o->'headcount', 'start', o->'start')) ORDER BY n)
    FROM jsonb_array_elements(r."problem"->'occurrences') WITH ORDINALITY AS e(o, n)
  ), '[]'::jsonb),
  'names', COALESCE(r."compiled"->'names', '[]'::jsonb),
  'ineligiblePins', COALESCE(r."compiled"->'ineligiblePins', '[]'::jsonb),
  'loads', COALESCE((
    SELECT jsonb_agg(jsonb_build_array(p->>'citizen', p->>'occurrence', (p->'loadMinutes')) ORDER BY n)
    FROM jsonb_array_elements(r."problem"->'pairs') WITH ORDINALITY AS e(p, n)
    JOIN jsonb_array_elements(COALESCE(r."solution"->'assignments', '[]'::jsonb)) AS a(x)
      ON a.x->>'citizen' = p->>'citizen' AND a.x->>'occurrence' = p->>'occurrence'
  ), '[]'::jsonb)
)
WHERE r."problem" IS NOT NULL;
