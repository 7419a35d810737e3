import { randomUUID } from 'node:crypto';
import { createPersonContactConsentQueries } from '../../db/queries/personContactConsents';
import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import {
  checkContactConsentChange,
  contactPurposes,
  determineContactConsent,
  type ContactConsentChange,
  type ContactConsentEntry,
  type ContactConsentState,
} from '../../domain/register/contactConsent';
import type { FactSource } from '../../domain/register/fieldRules';
import type { Person } from '../../domain/register/person';
import type { Principal } from '../../security/roles';
import type { ApiDependencies } from '../deps';
import { AppError } from '../errors';
import { readPersonRecord, writePerson } from './service';

export interface ContactConsentsView {
  person: Person;
  current: ContactConsentState[];
  entries: ContactConsentEntry[];
}

async function viewOf(deps: ApiDependencies, principal: Principal, person: Person): Promise<ContactConsentsView> {
  const entries = await createPersonContactConsentQueries(deps.pool).listContactConsentsByPerson(person.id, principal.authorityId);
  const today = toBerlinLocalDate(deps.clock().getTime());
  return { person, current: contactPurposes.map((purpose) => determineContactConsent(entries, purpose, today)), entries };
}

/** The person's consent to be contacted: each purpose's state today and every entry. Audited; another authority's person is a 404. */
export async function readContactConsents(deps: ApiDependencies, principal: Principal, id: string): Promise<ContactConsentsView> {
  const record = await readPersonRecord(deps, principal, id, 'register.contact_consent.view');
  return viewOf(deps, principal, record.person);
}

/**
 * Records that the person gave or withdrew the consent to be contacted for a purpose from a day
 * on — a register write like any other: under the version the caller saw, a revision in the
 * person's history (entity `contact_consent`), audited, the person's open cases told. A change
 * the rules refuse (`checkContactConsentChange`) is a 422 and changes nothing.
 */
export async function recordContactConsent(
  deps: ApiDependencies,
  principal: Principal,
  id: string,
  body: { expectedVersion: number; consent: ContactConsentChange; source: FactSource; reason?: string },
): Promise<ContactConsentsView> {
  const record = await writePerson(deps, principal, id, body, 'register.contact_consent.record', async (client, current, at) => {
    const consents = createPersonContactConsentQueries(client);
    const entries = await consents.listContactConsentsByPerson(current.person.id, principal.authorityId, body.consent.purpose);
    const check = checkContactConsentChange(entries, body.consent, toBerlinLocalDate(at.getTime()));
    if (!check.allowed) throw new AppError('person.contact_consent_unchanged', 422, check.reason.en);
    const before = determineContactConsent(entries, body.consent.purpose, '9999-12-31');
    const entry = await consents.insertContactConsent({ id: randomUUID(), personId: id, ...body.consent, source: body.source, recordedBy: principal.subject, recordedAt: at });
    return {
      changed: ['contact_consent'],
      revisions: [
        {
          entity: 'contact_consent',
          entityId: entry.id,
          kind: body.consent.purpose,
          action: 'create',
          before: before.status === 'none' ? null : { status: before.status, on: before.since },
          after: { status: entry.status, on: entry.on },
        },
      ],
    };
  });
  return viewOf(deps, principal, record.person);
}
