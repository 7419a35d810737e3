-- Staff access: the audit trail names the authority, and nothing can change or delete it.

ALTER TABLE audit_log ADD COLUMN authority_id text;
ALTER TABLE audit_log ADD COLUMN route text;
CREATE INDEX audit_log_authority_at ON audit_log (authority_id, at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Idempotency keys belong to one authority: the same key from two authorities names two cases.
ALTER TABLE idempotency_keys ADD COLUMN authority_id text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (authority_id, key);
ALTER TABLE idempotency_keys ALTER COLUMN authority_id DROP DEFAULT;
