-- Work-queue listing (GET /api/v1/naturalisation/queue): keyset indexes for the filters the
-- team indexes of migration 20261125210000 cannot serve in order. Each listing is an ordered
-- range scan of one index; a filter no index leads with (waiting for, flag) is checked while
-- scanning, which stays cheap as long as it is not rare among the cases the scan passes.

-- The whole authority's queue (no team filter), by age and by next due date.
CREATE INDEX case_projections_queue_authority_age ON case_projections (authority_id, case_type, filed_on, case_id);
CREATE INDEX case_projections_queue_authority_due ON case_projections (authority_id, case_type, next_due_at, case_id);

-- One stage across teams ("all new cases"): the newest cases are the received ones, so an
-- age-ordered scan with a stage filter would pass nearly every case before finding them.
CREATE INDEX case_projections_queue_stage_age ON case_projections (authority_id, case_type, stage, filed_on, case_id);
CREATE INDEX case_projections_queue_stage_due ON case_projections (authority_id, case_type, stage, next_due_at, case_id);

-- One stage of one team, by due date (by age: case_projections_queue_stage of 20261125210000).
CREATE INDEX case_projections_queue_team_stage_due ON case_projections (authority_id, case_type, team, stage, next_due_at, case_id);

-- "My cases": a clerk's cases, by age and by due date.
CREATE INDEX case_projections_queue_assignee_age ON case_projections (authority_id, case_type, assignee, filed_on, case_id)
  WHERE assignee IS NOT NULL;
CREATE INDEX case_projections_queue_assignee_due ON case_projections (authority_id, case_type, assignee, next_due_at, case_id)
  WHERE assignee IS NOT NULL;

-- A flag filter: the ordered scans check common flags (the warned, overdue cases come first in
-- both sorts); this index finds the cases of a rare flag without passing all the others.
CREATE INDEX case_projections_flags ON case_projections USING gin (flags);
