-- Information outreach (issue 10): who may be contacted, who opted out, the date each person
-- meets the naturalisation residence requirement, campaigns, and one row per outreach message.
-- Every e-mail also sits in the outbox under the same message_key (the outbox's unique key is
-- what "never twice" is checked against); letters without e-mail stay here for printing.

-- Consent to information messages (where the authority contacts on consent, not a legal basis).
CREATE TABLE outreach_consents (
  person_id     uuid PRIMARY KEY REFERENCES persons (id),
  given_on      date NOT NULL,
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);

-- An opt-out takes effect at once: every enqueue and every send batch reads this table.
CREATE TABLE outreach_opt_outs (
  person_id     uuid PRIMARY KEY REFERENCES persons (id),
  opted_out_at  timestamptz NOT NULL DEFAULT now(),
  via           text NOT NULL CHECK (via IN ('link', 'clerk'))
);

-- The date a person meets § 10 Abs. 1 Satz 1 StAG's residence period, as computed from the
-- register at `person_version`; recomputed when the person's version moves.
CREATE TABLE outreach_eligibility_dates (
  person_id          uuid PRIMARY KEY REFERENCES persons (id),
  authority_id       text NOT NULL,
  residence_met_on   date,
  person_version     integer NOT NULL,
  computed_on        date NOT NULL
);
CREATE INDEX outreach_eligibility_dates_due ON outreach_eligibility_dates (residence_met_on) WHERE residence_met_on IS NOT NULL;

CREATE TABLE outreach_campaigns (
  id                 uuid PRIMARY KEY,
  authority_id       text NOT NULL,
  name               text NOT NULL,
  cohort             jsonb NOT NULL,
  content            jsonb NOT NULL,
  rate_per_second    integer NOT NULL CHECK (rate_per_second > 0),
  starts_at          timestamptz NOT NULL,
  status             text NOT NULL DEFAULT 'scheduled'
                     CHECK (status IN ('scheduled', 'preparing', 'sending', 'paused', 'completed', 'cancelled')),
  recipients         integer,
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);

-- One row per person and message kind (eligibility) or per person and campaign.
CREATE TABLE outreach_messages (
  message_key        text PRIMARY KEY,
  person_id          uuid NOT NULL REFERENCES persons (id),
  authority_id       text NOT NULL,
  campaign_id        uuid REFERENCES outreach_campaigns (id),
  kind               text NOT NULL CHECK (kind IN ('eligibility', 'campaign')),
  channel            text NOT NULL CHECK (channel IN ('email', 'letter')),
  -- queued: waits for the relay; sending: claimed, in the outbox; sent/bounced: the SMTP answer;
  -- printable: a letter for a person without e-mail; skipped_*: dropped before sending.
  status             text NOT NULL DEFAULT 'queued' CHECK (status IN
                     ('queued', 'sending', 'sent', 'bounced', 'failed', 'printable', 'cancelled', 'skipped_opted_out', 'skipped_applied')),
  languages          text[] NOT NULL,
  template_version   text,
  claimed_by         text,
  claimed_at         timestamptz,
  created_on         date NOT NULL,
  sent_at            timestamptz
);
CREATE INDEX outreach_messages_queue ON outreach_messages (campaign_id, status) ;
CREATE INDEX outreach_messages_eligibility_queue ON outreach_messages (kind, status) WHERE campaign_id IS NULL;
CREATE INDEX outreach_messages_person ON outreach_messages (person_id);
