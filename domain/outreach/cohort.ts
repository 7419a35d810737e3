import { z } from 'zod';
import { dateOfBirthSchema, languageCodeSchema, registerDateSchema } from '../register/fieldRules';

/**
 * A campaign's cohort: filters over the register of the coordinator's own authority. All given
 * filters must hold. `residenceYearsAtLeast`/`AtMost` read the outreach date table: persons whose
 * residence requirement is met or will be within the window.
 */
export const cohortSchema = z.strictObject({
  nationalities: z.array(z.string().max(2).regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')).max(50).optional(),
  languages: z.array(languageCodeSchema).max(20).optional(),
  /** Days of birth, in the range any date of birth lies in (`dateOfBirthSchema`). */
  bornFrom: dateOfBirthSchema.optional(),
  bornUntil: dateOfBirthSchema.optional(),
  /** Persons who meet the residence period (§ 10 Abs. 1 Satz 1 StAG) on or before this day. */
  residenceMetBy: registerDateSchema.optional(),
  /** Only persons with (true) or without (false) an e-mail address. */
  hasEmail: z.boolean().optional(),
});
export type Cohort = z.infer<typeof cohortSchema>;

/** The letter of a campaign: an event with migrant organisations, or general information. */
export const campaignContentSchema = z.strictObject({
  topic: z.enum(['information_event', 'general_information']),
  /** Shown in the letter as given, per language; German required. */
  title: z.strictObject({ de: z.string().min(1).max(200) }).catchall(z.string().min(1).max(200)),
  details: z.strictObject({ de: z.string().min(1).max(2000) }).catchall(z.string().min(1).max(2000)),
  eventOn: registerDateSchema.optional(),
  place: z.string().max(200).optional(),
});
export type CampaignContent = z.infer<typeof campaignContentSchema>;
