-- The audit trail, tamper-evident and append-only for the application's role.
--
-- Hash chain: every row stores chain_seq (its position), prev_hash (the previous row's hash) and
-- row_hash = sha256(prev_hash || canonical row). Changing, deleting or inserting a row anywhere
-- but at the end breaks the chain, and audit_log_verify() names where — even when done by a
-- superuser who switches the append-only triggers off. Inserts take a transaction-scoped
-- advisory lock so the chain stays one line (audit inserts are serialised; they are short).
--
-- Privileges: the triggers of 20261125180000 refuse UPDATE, DELETE and TRUNCATE, but a table's
-- owner can drop triggers. In production the application's role must therefore NOT own the
-- tables: a migration role owns them and the app role gets INSERT and SELECT on audit_log only.
-- This migration revokes UPDATE, DELETE and TRUNCATE from PUBLIC, and from the role running it
-- when that role is not the owner; audit_log_restrict_role(role) does the same for another role.

ALTER TABLE audit_log ADD COLUMN chain_seq bigint;
ALTER TABLE audit_log ADD COLUMN prev_hash bytea;
ALTER TABLE audit_log ADD COLUMN row_hash bytea;

CREATE FUNCTION audit_log_canonical(r audit_log) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT convert_to(jsonb_build_array(
    r.chain_seq, r.id, (extract(epoch FROM r.at) * 1000000)::bigint, r.actor, r.action,
    r.authority_id, r.case_id, r.route, r.outcome, r.detail
  )::text, 'UTF8')
$$;

CREATE FUNCTION audit_log_link() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  last_seq bigint;
  last_hash bytea;
BEGIN
  PERFORM pg_advisory_xact_lock(727275);
  SELECT chain_seq, row_hash INTO last_seq, last_hash FROM audit_log ORDER BY chain_seq DESC LIMIT 1;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, '\x'::bytea);
  NEW.row_hash := sha256(NEW.prev_hash || audit_log_canonical(NEW));
  RETURN NEW;
END;
$$;

-- Rows written before this migration join the chain in id order.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete;
DO $$
DECLARE
  r audit_log;
  seq bigint := 0;
  previous bytea := '\x'::bytea;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    seq := seq + 1;
    r.chain_seq := seq;
    r.prev_hash := previous;
    r.row_hash := sha256(previous || audit_log_canonical(r));
    UPDATE audit_log SET chain_seq = r.chain_seq, prev_hash = r.prev_hash, row_hash = r.row_hash WHERE id = r.id;
    previous := r.row_hash;
  END LOOP;
END;
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_or_delete;

ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN row_hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_chain_seq ON audit_log (chain_seq);
CREATE TRIGGER audit_log_link BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_link();

-- Every break of the chain, in chain order: a row whose hash does not match its content, whose
-- prev_hash is not its predecessor's hash, or a gap in chain_seq (a deleted row). Empty: intact.
CREATE FUNCTION audit_log_verify() RETURNS TABLE (chain_seq bigint, id bigint, problem text) LANGUAGE plpgsql STABLE AS $$
DECLARE
  r audit_log;
  expected_seq bigint := 1;
  previous bytea := '\x'::bytea;
BEGIN
  FOR r IN SELECT * FROM audit_log a ORDER BY a.chain_seq LOOP
    IF r.chain_seq <> expected_seq THEN
      chain_seq := r.chain_seq; id := r.id; problem := format('rows %s to %s are missing', expected_seq, r.chain_seq - 1);
      RETURN NEXT;
    ELSIF r.prev_hash <> previous THEN
      chain_seq := r.chain_seq; id := r.id; problem := 'prev_hash is not the previous row''s hash';
      RETURN NEXT;
    END IF;
    IF r.row_hash <> sha256(r.prev_hash || audit_log_canonical(r)) THEN
      chain_seq := r.chain_seq; id := r.id; problem := 'the row was changed after it was written';
      RETURN NEXT;
    END IF;
    expected_seq := r.chain_seq + 1;
    previous := r.row_hash;
  END LOOP;
END;
$$;

CREATE FUNCTION audit_log_restrict_role(role_name name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I', role_name);
END;
$$;

REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
DO $$
BEGIN
  IF (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log' AND schemaname = current_schema()) <> current_user THEN
    PERFORM audit_log_restrict_role(current_user);
  END IF;
END;
$$;
