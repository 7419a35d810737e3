import { z } from 'zod';
import type { RegisterFact } from './facts';
import type { RegisterResidencePeriod } from './residencePeriods';
import { countryCodeSchema, dateOfBirthSchema, languageCodeSchema, maxTextLength, registerTextSchema, type FactSource } from './fieldRules';

/**
 * A person in the register of one authority: identity, nationalities, contact and preferred
 * language, and the number the authority's existing system knows them by (`fileNumber`,
 * unique per authority). The residence history and the evidence facts hang off the person
 * (`residencePeriods.ts`, `facts.ts`).
 */

export const postalAddressSchema = z.strictObject({
  street: registerTextSchema(maxTextLength.name),
  postalCode: registerTextSchema(20),
  city: registerTextSchema(maxTextLength.short),
  /** ISO 3166-1 alpha-2; default Germany. */
  country: countryCodeSchema.default('DE'),
});
export type PostalAddress = z.infer<typeof postalAddressSchema>;

export const emailSchema = z.email({ message: 'must be an e-mail address' }).max(254);
export const phoneSchema = z.string().max(40).regex(/^\+?[0-9 ()/-]{3,40}$/, 'must be a phone number of digits, spaces and + ( ) / -');

export const contactSchema = z.strictObject({
  postalAddress: postalAddressSchema.nullable().default(null),
  email: emailSchema.nullable().default(null),
  phone: phoneSchema.nullable().default(null),
});
export type Contact = z.infer<typeof contactSchema>;

/** The file number of the authority's existing system: letters, digits and . / _ - */
export const fileNumberSchema = z
  .string()
  .trim()
  .max(64, 'must be 1 to 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9./_ -]{0,63}$/, 'must be 1 to 64 letters, digits or . / _ - and spaces, starting with a letter or digit');

const personFields = {
  fileNumber: fileNumberSchema,
  givenNames: registerTextSchema(maxTextLength.name),
  familyName: registerTextSchema(maxTextLength.name),
  dateOfBirth: dateOfBirthSchema,
  /** ISO 3166-1 alpha-2; empty: stateless or not known. */
  nationalities: z.array(countryCodeSchema).max(10),
  contact: contactSchema,
  /** ISO 639-1 code of the language letters are written in, after German. */
  preferredLanguage: languageCodeSchema,
};

export const personDataSchema = z.strictObject({
  ...personFields,
  nationalities: personFields.nationalities.default([]),
  contact: contactSchema.default({ postalAddress: null, email: null, phone: null }),
  preferredLanguage: languageCodeSchema.default('de'),
});
export type PersonData = z.infer<typeof personDataSchema>;

/** A correction names only the fields it changes (no defaults: a field not named keeps its value). */
export const personCorrectionSchema = z
  .strictObject({
    fileNumber: personFields.fileNumber.optional(),
    givenNames: personFields.givenNames.optional(),
    familyName: personFields.familyName.optional(),
    dateOfBirth: personFields.dateOfBirth.optional(),
    nationalities: personFields.nationalities.optional(),
    contact: z
      .strictObject({
        postalAddress: postalAddressSchema.nullable().optional(),
        email: emailSchema.nullable().optional(),
        phone: phoneSchema.nullable().optional(),
      })
      .optional(),
    preferredLanguage: personFields.preferredLanguage.optional(),
  })
  .refine((value) => Object.values(value).some((field) => field !== undefined), 'must change at least one field');
export type PersonCorrection = z.infer<typeof personCorrectionSchema>;

/** A person as the register holds it now. */
export interface Person extends PersonData {
  readonly id: string;
  readonly authorityId: string;
  /** Raised by one with every change to the person, a period or a fact. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A person with the residence periods and facts in force (not retracted). */
export interface PersonRecord {
  readonly person: Person;
  readonly residencePeriods: readonly RegisterResidencePeriod[];
  readonly facts: readonly RegisterFact[];
}

/** Who recorded a value, when and from what. */
export interface Provenance {
  readonly source: FactSource;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/** Applies a correction to a person's data; fields not named keep their value. */
export function applyPersonCorrection(current: PersonData, correction: PersonCorrection): PersonData {
  const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
  const { contact, ...rest } = correction;
  return { ...current, ...defined(rest), contact: { ...current.contact, ...(contact ? defined(contact) : {}) } };
}

/** Names of the fields whose value differs between two versions of a person's data. */
export function listChangedPersonFields(before: PersonData, after: PersonData): (keyof PersonData)[] {
  return (Object.keys(after) as (keyof PersonData)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
