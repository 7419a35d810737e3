-- Work queues: what a team lists, filters and sorts, read from the projection alone.

ALTER TABLE case_projections ADD COLUMN team text NOT NULL DEFAULT 'default';
ALTER TABLE case_projections ADD COLUMN assignee text;
ALTER TABLE case_projections ADD COLUMN filed_on date;
ALTER TABLE case_projections ADD COLUMN next_due_at timestamptz;
ALTER TABLE case_projections ADD COLUMN suspended boolean NOT NULL DEFAULT false;

UPDATE case_projections p SET filed_on = a.filed_on FROM naturalisation_applications a WHERE a.id = p.case_id;

CREATE INDEX case_projections_queue_age ON case_projections (authority_id, case_type, team, filed_on, case_id);
CREATE INDEX case_projections_queue_due ON case_projections (authority_id, case_type, team, next_due_at, case_id);
CREATE INDEX case_projections_queue_stage ON case_projections (authority_id, case_type, team, stage, filed_on, case_id);
