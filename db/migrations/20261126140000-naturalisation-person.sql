-- A naturalisation application belongs to a person of the register: its eligibility is evaluated
-- on the person's stored facts, and a change of those facts reaches the case's workflow.
-- Applications registered before keep working without a person (the explicit-facts check).
ALTER TABLE naturalisation_applications ADD COLUMN person_id uuid REFERENCES persons (id);
CREATE INDEX naturalisation_applications_person ON naturalisation_applications (person_id) WHERE person_id IS NOT NULL;
-- Where an eligibility check's facts came from: the register as of its day, or a clerk's what-if.
ALTER TABLE naturalisation_eligibility_checks ADD COLUMN source text NOT NULL DEFAULT 'what_if' CHECK (source IN ('what_if', 'register'));
