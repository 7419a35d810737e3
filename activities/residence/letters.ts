import type { Pool, PoolClient } from 'pg';
import { createResidenceCheckQueries } from '../../db/queries/residenceChecks';
import {
  renderResidencePersonLetter,
  renderResidenceStaffNotice,
  type ResidenceLetterPerson,
  type ResidencePersonLetter,
  type ResidenceStaffNotice,
} from '../../domain/letters/residenceLetters';
import type { LetterComposer, LetterContext } from '../../processes/contract';

/**
 * The letters of a residence check or watch: to the person (German first, then their language;
 * without an e-mail address the outbox keeps them "to print"), and notices to staff.
 */
export const residenceLetters: LetterComposer = {
  async load(db: Pool | PoolClient, caseId: string): Promise<LetterContext | undefined> {
    const row = await createResidenceCheckQueries(db).findLetterContextByCheckId(caseId);
    if (!row) return undefined;
    const data: ResidenceLetterPerson = { reference: row.reference, givenNames: row.given_names, familyName: row.family_name };
    return { email: row.email || null, language: row.preferred_language, data: { ...data } };
  },
  render(context, request) {
    const person = context.data as unknown as ResidenceLetterPerson;
    if (request.recipient === 'person') return renderResidencePersonLetter(person, request.letter as unknown as ResidencePersonLetter, context.language);
    return renderResidenceStaffNotice(person.reference, request.letter as unknown as ResidenceStaffNotice);
  },
};
