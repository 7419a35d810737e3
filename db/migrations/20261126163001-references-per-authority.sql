-- Case references are unique per authority, not across authorities (issue 12, item 8).
--
-- With one global UNIQUE (reference), a backlog import of authority B that carries a reference
-- A already uses was refused as "already the reference of another case": B learnt that the
-- reference exists in another authority's files. References of imported files come from each
-- authority's own legacy system, so two authorities may legitimately use the same one. Now a
-- reference only collides within the authority that owns it; another authority's case neither
-- blocks nor shows. The applicant's status lookup (reference + access code, no authority) stays
-- unambiguous: it takes every case with the reference and opens the one whose keyed code hash
-- matches (api/naturalisation/applicantAccess.ts).
ALTER TABLE naturalisation_applications DROP CONSTRAINT naturalisation_applications_reference_key;
ALTER TABLE naturalisation_applications ADD CONSTRAINT naturalisation_applications_authority_reference_key UNIQUE (authority_id, reference);
