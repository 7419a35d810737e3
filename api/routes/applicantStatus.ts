import { z } from 'zod';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { applicantLanguages, describeStatusForApplicant } from '../../domain/naturalisation/applicantStatus';
import type { NaturalisationStage, WaitingFor } from '../../domain/naturalisation/stages';
import { verifyApplicantAccess } from '../naturalisation/applicantAccess';
import { text } from '../fields';
import { applicantReferenceSchema } from '../naturalisation/schemas';
import { defineRoute } from '../route';

/**
 * A text in every language of the status page: `de` and `en` as ever, and the outreach languages
 * (`ar`, `tr`, `uk`, `ru`, `fa`: machine translations, not yet reviewed) beside them.
 */
const multilingual = z.object(Object.fromEntries(applicantLanguages.map((language) => [language, z.string()])) as Record<(typeof applicantLanguages)[number], z.ZodString>);

export const applicantStatusRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/status/naturalisation',
    operation: 'naturalisation.status.lookup',
    access: 'public',
    summary:
      'For applicants, without login: the stage of an application, what is awaited from them and the next step, by reference and access code (in the body, so they stay out of URLs and logs)',
    tags: ['applicants'],
    request: {
      query: z.strictObject({}),
      body: z.strictObject({
        reference: applicantReferenceSchema,
        accessCode: text({ min: 8, max: 40 }),
      }),
    },
    responses: {
      200: {
        description: 'The status',
        schema: z.object({ reference: z.string(), stage: multilingual, awaitedFromYou: multilingual.nullable(), nextStep: multilingual, updatedAt: z.string() }),
      },
      400: { description: 'Invalid request' },
      404: { description: 'No application with this reference and access code' },
      429: { description: 'Too many attempts' },
    },
    handler: async ({ body }, deps, { req }) => {
      const application = await verifyApplicantAccess(deps, req, 'naturalisation.status.lookup', body);
      const projection = await createCaseProjectionQueries(deps.pool).findProjectionByCaseId(application.id);
      const status = describeStatusForApplicant({
        stage: (projection?.stage ?? 'received') as NaturalisationStage,
        waitingFor: (projection?.waitingFor ?? null) as WaitingFor,
        suspended: projection?.suspended ?? false,
        deadlines: projection?.deadlines ?? {},
        decision: projection?.decision ?? null,
      });
      return {
        status: 200,
        body: { reference: body.reference.toUpperCase(), ...status, updatedAt: (projection?.updatedAt ?? new Date()).toISOString() },
      };
    },
  }),
];
