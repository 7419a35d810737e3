import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createPersonContactConsentQueries } from '../../db/queries/personContactConsents';
import { createPersonFactQueries } from '../../db/queries/personFacts';
import { createPersonQueries } from '../../db/queries/persons';
import { createResidenceCheckQueries, type ResidenceCheckKind } from '../../db/queries/residenceChecks';
import { createResidencePeriodQueries } from '../../db/queries/residencePeriods';
import { addDays, type LocalDate } from '../../domain/calendar/localDate';
import { determineContactConsent, type ContactConsentState } from '../../domain/register/contactConsent';
import type { PersonRecord } from '../../domain/register/person';
import { deriveResidenceCheckFacts } from '../../domain/register/residenceCheckFacts';
import { applyCheckFindings, evaluateResidenceCheck, type CheckEvaluation, type ResidenceCheckFindings } from '../../domain/residence/checkProcedure';
import {
  defaultExpiryWatchSettings,
  defaultResidenceCheckSettings,
  residenceTaskQueues,
  residenceWorkflowId,
  type ExpiryWatchInput,
  type ResidenceCheckInput,
} from '../../workflows/residenceDefinitions';

/** A reference staff and letters quote: ABH-<year>-<10 base32 characters>. */
export function generateResidenceReference(year: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return `ABH-${year}-${Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/** The person's register entry (periods and facts in force), scoped to the authority. */
export async function loadPersonRecord(pool: Pool, personId: string, authorityId: string): Promise<PersonRecord | undefined> {
  const person = await createPersonQueries(pool).findPersonByIdAndAuthority(personId, authorityId);
  if (!person) return undefined;
  const [residencePeriods, facts] = await Promise.all([
    createResidencePeriodQueries(pool).listCurrentPeriodsByPerson(personId),
    createPersonFactQueries(pool).listCurrentFactsByPerson(personId),
  ]);
  return { person, residencePeriods, facts };
}

/** Starts a check's or watch's workflow unless it runs or ran already (its id derives from the check). */
export async function ensureResidenceWorkflowStarted(
  temporal: Client,
  workflowType: 'residenceCheck' | 'permitExpiryWatch',
  input: ResidenceCheckInput | ExpiryWatchInput,
): Promise<void> {
  try {
    await temporal.workflow.start(workflowType, {
      taskQueue: residenceTaskQueues.residence,
      workflowId: residenceWorkflowId(input.checkId),
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [input],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export interface SweepResult {
  watchesStarted: number;
  transitionChecksStarted: number;
}

/**
 * The residence process's own activities: the evaluation of a check on the register's data (the
 * workflow stays deterministic), the permit a watch follows, and the daily sweep that starts the
 * watches and the § 104c AufenthG transition checks. Each is idempotent.
 */
export function createResidenceActivities(deps: { pool: Pool; temporal: Client; clock: () => Date }) {
  return {
    /** Evaluates § 25a/§ 25b AufenthG (and the § 104c transition) on the person's register data as of `asOf`. */
    async evaluateResidenceCheckForPerson(request: {
      personId: string;
      authorityId: string;
      asOf: LocalDate;
      findings: ResidenceCheckFindings;
      followOnFiledOn: LocalDate | null;
    }): Promise<CheckEvaluation | null> {
      const record = await loadPersonRecord(deps.pool, request.personId, request.authorityId);
      if (!record) return null;
      const facts = applyCheckFindings(deriveResidenceCheckFacts(record, request.asOf), request.findings, request.followOnFiledOn ?? undefined);
      return evaluateResidenceCheck(facts, request.asOf);
    },

    /**
     * The register's consent to be contacted for letters about the person's residence rights on
     * `asOf` (`determineContactConsent`): `none` where nothing is recorded. Scoped to the authority.
     */
    async loadResidenceContactConsent(request: { personId: string; authorityId: string; asOf: LocalDate }): Promise<ContactConsentState['status']> {
      const entries = await createPersonContactConsentQueries(deps.pool).listContactConsentsByPerson(request.personId, request.authorityId, 'residence_information');
      return determineContactConsent(entries, 'residence_information', request.asOf).status;
    },

    /** The permit a watch follows, as the register holds it now; null once retracted. */
    async loadWatchedPermit(request: { personId: string; periodId: string }): Promise<{ expiresOn: string; permitBasis: string | null } | null> {
      const periods = await createResidencePeriodQueries(deps.pool).listCurrentPeriodsByPerson(request.personId);
      const period = periods.find((p) => p.id === request.periodId);
      const expiresOn = period ? (period.documentExpiry ?? period.to) : null;
      return period && expiresOn ? { expiresOn, permitBasis: period.permitBasis } : null;
    },

    /**
     * Starts one watch per permit expiring within the horizon and one transition check per
     * § 104c AufenthG permit within its horizon — each under an idempotent id (the period and
     * kind), so a repeated or concurrent sweep starts nothing twice.
     */
    async sweepResidenceWatches(request: { asOf: LocalDate; watchHorizonDays?: number; transitionHorizonDays?: number }): Promise<SweepResult> {
      const checks = createResidenceCheckQueries(deps.pool);
      // A watch starts two weeks before its reminder could fall (8 weeks before expiry); a transition
      // check two weeks before its start (6 months before expiry): so the daily sweep never misses one.
      const watchDays = request.watchHorizonDays ?? 8 * 7 + 14;
      const transitionDays = request.transitionHorizonDays ?? 6 * 31 + 14;
      const start = async (kind: ResidenceCheckKind, periods: Awaited<ReturnType<typeof checks.listPermitPeriodsExpiringBetween>>) => {
        for (const period of periods) {
          const check = await checks.insertCheckForPeriodOnce({
            id: period.checkId ?? randomUUID(),
            authorityId: period.authorityId,
            personId: period.personId,
            kind,
            periodId: period.periodId,
            reference: generateResidenceReference(request.asOf.slice(0, 4)),
            contactConsent: false,
            requestedBy: 'system:residence-sweep',
          });
          const base = { checkId: check.id, authorityId: check.authorityId, personId: check.personId, reference: check.reference };
          if (kind === 'permit_expiry') {
            await ensureResidenceWorkflowStarted(deps.temporal, 'permitExpiryWatch', { ...base, periodId: period.periodId, settings: defaultExpiryWatchSettings });
          } else {
            await ensureResidenceWorkflowStarted(deps.temporal, 'residenceCheck', { ...base, kind: 'transition', contactConsent: false, settings: defaultResidenceCheckSettings });
          }
        }
        return periods.length;
      };
      const watches = await checks.listPermitPeriodsExpiringBetween(request.asOf, addDays(request.asOf, watchDays), 'renewable', 'permit_expiry');
      const transitions = await checks.listPermitPeriodsExpiringBetween(request.asOf, addDays(request.asOf, transitionDays), 'opportunity', 'transition');
      return { watchesStarted: await start('permit_expiry', watches), transitionChecksStarted: await start('transition', transitions) };
    },
  };
}

export type ResidenceActivities = ReturnType<typeof createResidenceActivities>;
