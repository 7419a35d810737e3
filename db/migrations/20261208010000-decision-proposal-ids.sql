-- Four eyes on version-1 naturalisation decisions (issue 20): a new proposal replaces the pending
-- one without changing the case's version, so the confirmation names the proposal it confirms by
-- this id. Every proposal gets a new id; a pending one from before gets one derived from its case
-- and time; a clerk reads it from the case view before confirming.
ALTER TABLE naturalisation_v1_decision_proposals ADD COLUMN proposal_id uuid;
UPDATE naturalisation_v1_decision_proposals SET proposal_id = md5(case_id::text || '/' || proposed_at::text)::uuid WHERE proposal_id IS NULL;
ALTER TABLE naturalisation_v1_decision_proposals ALTER COLUMN proposal_id SET NOT NULL;
