-- Art. 17 DSGVO: a person's register entry erased on request keeps its row (id, authority, this
-- instant) so case references and the audit trail stay whole; its personal data is gone.
ALTER TABLE persons ADD COLUMN erased_at timestamptz;
