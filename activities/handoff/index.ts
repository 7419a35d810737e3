import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import pino from 'pino';
import { PersonNotFoundError, requestHandoffFor } from '../../api/handoff/handoffService';
import type { ApiDependencies } from '../../api/deps';
import { addFact } from '../../api/persons/service';
import { createHandoffQueries, type HandoffProgressEntry } from '../../db/queries/handoffs';
import { createPersonQueries } from '../../db/queries/persons';
import { deriveOutcomeFact, determineOutcomeNeed, type HandoffOutcome } from '../../domain/handoff/progress';
import type { HandoffRequest, HandoffRequestResult } from '../../workflows/shared/handoffs';

export interface HandoffActivityDependencies {
  pool: Pool;
  clock: () => Date;
  temporal: Client;
}

export interface ProgressRequest {
  handoffId: string;
  entryKey: string;
  kind: 'phase' | 'outcome';
  phase?: string;
  outcome?: HandoffOutcome;
  on: string;
  note: string | null;
  recordedBy: string;
}

/** The handoff process's own activities; each is idempotent. */
export function createHandoffActivities(deps: HandoffActivityDependencies) {
  const logger = pino({ level: 'warn' });
  return {
    /** Asks case management for a handoff (see `requestHandoffFor`): idempotent per request key. */
    async requestHandoff(request: HandoffRequest): Promise<HandoffRequestResult> {
      try {
        return await requestHandoffFor(deps, request);
      } catch (error) {
        if (error instanceof PersonNotFoundError) throw ApplicationFailure.create({ type: 'person.not_found', message: error.message, nonRetryable: true });
        throw error;
      }
    },

    /**
     * Records a phase or an outcome once per entry key. An outcome that is evidence the rules read
     * becomes a dated fact on the person (source `case_management`) through the register's own
     * service, which tells every open case of the person; a retry finds the fact by its
     * revision's reason and appends no second one.
     */
    async recordHandoffProgress(request: ProgressRequest): Promise<HandoffProgressEntry> {
      const handoffs = createHandoffQueries(deps.pool);
      const handoff = await handoffs.findHandoffById(request.handoffId);
      if (!handoff) throw ApplicationFailure.create({ type: 'handoff.not_found', message: `no handoff ${request.handoffId}`, nonRetryable: true });
      const entry = await handoffs.insertProgressOnce(handoff.id, {
        entryKey: request.entryKey,
        kind: request.kind,
        phase: request.phase ?? null,
        outcome: request.outcome ? { ...request.outcome } : null,
        need: request.outcome ? determineOutcomeNeed(request.outcome) : null,
        on: request.on,
        note: request.note,
        recordedBy: request.recordedBy,
        recordedAt: deps.clock(),
      });
      const fact = request.outcome ? deriveOutcomeFact(request.outcome) : null;
      if (!fact || entry.factId) return entry;
      const reason = `handoff ${handoff.reference} ${request.entryKey}`;
      let factId = await handoffs.findFactIdByRevisionReason(handoff.personId, reason);
      if (!factId) {
        const person = await createPersonQueries(deps.pool).findPersonByIdAndAuthority(handoff.personId, handoff.authorityId);
        if (!person) throw ApplicationFailure.create({ type: 'person.not_found', message: `no person ${handoff.personId}`, nonRetryable: true });
        const apiDeps = { pool: deps.pool, clock: deps.clock, temporal: deps.temporal, logger } as unknown as ApiDependencies;
        const principal = { subject: request.recordedBy, roles: ['case_manager' as const], authorityId: handoff.authorityId };
        // A concurrent change to the person raises a version conflict: the activity's retry reads it again.
        await addFact(apiDeps, principal, person.id, { expectedVersion: person.version, fact, source: 'case_management', reason });
        factId = await handoffs.findFactIdByRevisionReason(handoff.personId, reason);
      }
      if (factId) await handoffs.setProgressFactId(handoff.id, request.entryKey, factId);
      return { ...entry, factId: factId ?? null };
    },
  };
}
