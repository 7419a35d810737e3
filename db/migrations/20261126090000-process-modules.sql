-- Process modules: the projection names each case's reference (staff and letters quote it), so
-- the digest, the work queue and the statistics read every process's cases from the projection
-- alone, without joining a process's own tables.
ALTER TABLE case_projections ADD COLUMN reference text;
UPDATE case_projections p SET reference = a.reference FROM naturalisation_applications a WHERE a.id = p.case_id;
CREATE INDEX case_projections_open_by_team ON case_projections (authority_id, team, case_type, stage);
