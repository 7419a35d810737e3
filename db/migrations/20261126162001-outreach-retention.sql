-- Retention of outreach records (README "Outreach", processes/outreach.ts). A campaign's recipient
-- row whose period has run out is anonymised: it keeps authority, campaign, kind, channel, status,
-- languages, template version and dates (the campaign's progress figures) and loses the person —
-- `person_id` NULL and a random key instead of the one naming the person.
ALTER TABLE outreach_messages ALTER COLUMN person_id DROP NOT NULL;
ALTER TABLE outreach_messages ADD COLUMN anonymised_at timestamptz;
ALTER TABLE outreach_messages ADD CONSTRAINT outreach_messages_person_or_anonymised
  CHECK (person_id IS NOT NULL OR anonymised_at IS NOT NULL);
-- The sweep finds finished messages by authority and age.
CREATE INDEX outreach_messages_retention ON outreach_messages (authority_id, created_on) WHERE person_id IS NOT NULL;
-- Persons erased from the register (Art. 17 DSGVO) whose outreach records the sweep removes.
CREATE INDEX persons_erased ON persons (authority_id) WHERE erased_at IS NOT NULL;
