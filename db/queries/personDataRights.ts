import type { Pool, PoolClient } from 'pg';

type Queryable = Pool | PoolClient;

/**
 * Everything stored about one person of an authority (Art. 15 DSGVO), and the erasure of the
 * register entry (Art. 17 DSGVO). The cases are those that reference the person: naturalisation
 * applications by `person_id`, and case projections of every process by `person_id`.
 */
export function createPersonDataRightsQueries(db: Queryable) {
  return {
    async findPersonRow(personId: string, authorityId: string): Promise<Record<string, unknown> | undefined> {
      const { rows } = await db.query('SELECT * FROM persons WHERE id = $1 AND authority_id = $2', [personId, authorityId]);
      return rows[0];
    },

    /** The ids and types of the person's cases in the authority, with their projection where there is one. */
    async listCasesOfPerson(personId: string, authorityId: string): Promise<{ case_id: string; case_type: string; stage: string | null; decision: Record<string, unknown> | null; updated_at: Date | null }[]> {
      const { rows } = await db.query(
        `SELECT c.case_id, c.case_type, p.stage, p.decision, p.updated_at FROM (
           SELECT id AS case_id, 'naturalisation' AS case_type FROM naturalisation_applications WHERE person_id = $1 AND authority_id = $2
           UNION
           SELECT case_id, case_type FROM case_projections WHERE person_id = $1 AND authority_id = $2
         ) c LEFT JOIN case_projections p ON p.case_id = c.case_id
         ORDER BY c.case_id`,
        [personId, authorityId],
      );
      return rows;
    },

    /** The export's parts: every row of the register and of the cases, documents without their content. */
    async collectPersonData(personId: string, authorityId: string, caseIds: string[]) {
      const q = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows;
      return {
        residencePeriods: await q('SELECT * FROM person_residence_periods WHERE person_id = $1 ORDER BY from_date, recorded_at', [personId]),
        facts: await q('SELECT * FROM person_facts WHERE person_id = $1 ORDER BY recorded_at', [personId]),
        contactConsents: await q('SELECT * FROM person_contact_consents WHERE person_id = $1 ORDER BY effective_on, recorded_at', [personId]),
        // Handoffs to case management: the consents, the data sent (the snapshot) and what case management recorded.
        handoffConsents: await q('SELECT * FROM person_consents WHERE person_id = $1 AND authority_id = $2 ORDER BY recorded_at', [personId, authorityId]),
        handoffs: await q('SELECT * FROM handoffs WHERE person_id = $1 AND authority_id = $2 ORDER BY requested_at', [personId, authorityId]),
        handoffProgress: await q(
          `SELECT p.* FROM handoff_progress p JOIN handoffs h ON h.id = p.handoff_id
           WHERE h.person_id = $1 AND h.authority_id = $2 ORDER BY p.handoff_id, p.on_date, p.recorded_at`,
          [personId, authorityId],
        ),
        residenceChecks: await q('SELECT * FROM residence_checks WHERE person_id = $1 AND authority_id = $2 ORDER BY created_at', [personId, authorityId]),
        history: await q('SELECT * FROM person_revisions WHERE person_id = $1 AND authority_id = $2 ORDER BY id', [personId, authorityId]),
        naturalisationApplications: await q(
          `SELECT id, authority_id, reference, given_names, family_name, date_of_birth, email, preferred_language, filed_on, created_at, anonymised_at, person_id,
                  access_code_hash IS NOT NULL AS has_access_code, access_code_revoked_at
           FROM naturalisation_applications WHERE id = ANY($1) AND authority_id = $2 ORDER BY created_at`,
          [caseIds, authorityId],
        ),
        caseProjections: await q('SELECT * FROM case_projections WHERE case_id = ANY($1) AND authority_id = $2 ORDER BY case_id', [caseIds, authorityId]),
        eligibilityChecks: await q('SELECT * FROM naturalisation_eligibility_checks WHERE case_id = ANY($1) ORDER BY case_id', [caseIds]),
        messages: await q(
          'SELECT message_key, case_id, kind, recipient, subject, body_text, message_id, status, attempts, created_at, sent_at FROM outbox WHERE case_id = ANY($1) ORDER BY id',
          [caseIds],
        ),
        documents: await q(
          'SELECT id, case_id, type, content_type, size_bytes, sha256, scan_verdict, scan_engine, uploaded_at FROM applicant_documents WHERE case_id = ANY($1) AND authority_id = $2 ORDER BY uploaded_at',
          [caseIds, authorityId],
        ),
        // Information outreach (issue 10): consent, objection, the computed date and every message, with their e-mails.
        outreach: {
          consents: await q('SELECT given_on, recorded_by, recorded_at FROM outreach_consents WHERE person_id = $1', [personId]),
          optOuts: await q('SELECT opted_out_at, via FROM outreach_opt_outs WHERE person_id = $1', [personId]),
          eligibilityDates: await q(
            'SELECT residence_met_on, person_version, computed_on FROM outreach_eligibility_dates WHERE person_id = $1 AND authority_id = $2',
            [personId, authorityId],
          ),
          messages: await q(
            `SELECT m.message_key, m.campaign_id, m.kind, m.channel, m.status, m.languages, m.template_version, m.created_on, m.sent_at,
                    o.recipient, o.subject, o.body_text, o.status AS delivery_status
             FROM outreach_messages m LEFT JOIN outbox o ON o.message_key = m.message_key
             WHERE m.person_id = $1 AND m.authority_id = $2 ORDER BY m.created_on, m.message_key`,
            [personId, authorityId],
          ),
        },
        audit: await q(
          `SELECT id, at, actor, action, case_id, route, outcome, detail FROM audit_log
           WHERE authority_id = $1 AND (detail->>'personId' = $2 OR case_id = ANY($3)) ORDER BY id`,
          [authorityId, personId, caseIds],
        ),
      };
    },

    /**
     * Erases the register entry: identity, contact, residence periods, facts, the before/after
     * values of its history, the handoff consents' form references and withdrawal reasons, and
     * the handoffs' data snapshot and notes; keeps the row (id, authority, the erasure's instant) so references and
     * the audit trail stay whole.
     */
    async erasePerson(personId: string, authorityId: string): Promise<void> {
      await db.query('DELETE FROM person_residence_periods WHERE person_id = $1', [personId]);
      await db.query('DELETE FROM person_facts WHERE person_id = $1', [personId]);
      await db.query('UPDATE person_revisions SET before = NULL, after = NULL, reason = NULL WHERE person_id = $1', [personId]);
      // A consent form's reference and a withdrawal's reason identify the person; the consent's
      // scope and dates stay (they justified handoffs that the audit trail names).
      await db.query(
        "UPDATE person_consents SET form_reference = 'erased', withdrawal_reason = NULL WHERE person_id = $1 AND authority_id = $2",
        [personId, authorityId],
      );
      // What was sent to case management and its notes (closed handoffs past retention are anonymised already).
      await db.query(
        'UPDATE handoffs SET given_names = NULL, family_name = NULL, contact = NULL, language = NULL WHERE person_id = $1 AND authority_id = $2',
        [personId, authorityId],
      );
      await db.query(
        'UPDATE handoff_progress p SET note = NULL FROM handoffs h WHERE h.id = p.handoff_id AND h.person_id = $1 AND h.authority_id = $2',
        [personId, authorityId],
      );
      await db.query(
        `UPDATE persons SET file_number = 'erased:' || id::text, given_names = '', family_name = '', date_of_birth = DATE '1900-01-01',
           nationalities = '{}', postal_address = NULL, email = NULL, phone = NULL, version = version + 1, updated_at = now(), erased_at = now()
         WHERE id = $1 AND authority_id = $2`,
        [personId, authorityId],
      );
    },
  };
}
