import type { Pool, PoolClient } from 'pg';
import { createApplicationQueries } from '../../db/queries/applications';
import {
  renderApplicantLetter,
  renderStaffNotice,
  type ApplicantLetterRequest,
  type StaffNoticeRequest,
} from '../../domain/letters/naturalisationLetters';
import type { LetterComposer, LetterContext } from '../../processes/contract';

interface NaturalisationLetterData {
  reference: string;
  givenNames: string;
  familyName: string;
  filedOn: string;
}

/**
 * The letters of a naturalisation case: milestone letters to the applicant (German first, then
 * their language) and notices to staff (German, the reference only).
 */
export const naturalisationLetters: LetterComposer = {
  async load(db: Pool | PoolClient, caseId: string): Promise<LetterContext | undefined> {
    const application = await createApplicationQueries(db).findApplicationById(caseId);
    if (!application) return undefined;
    const data: NaturalisationLetterData = {
      reference: application.reference,
      givenNames: application.given_names,
      familyName: application.family_name,
      filedOn: application.filed_on,
    };
    return { email: application.email || null, language: application.preferred_language, data: { ...data }, authorityId: application.authority_id };
  },

  render(context, request) {
    const data = context.data as unknown as NaturalisationLetterData;
    if (request.recipient === 'person') {
      return renderApplicantLetter(data, request.letter as unknown as ApplicantLetterRequest, context.language);
    }
    return renderStaffNotice({ reference: data.reference, filedOn: data.filedOn }, request.letter as unknown as StaffNoticeRequest);
  },
};
