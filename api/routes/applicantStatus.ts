import { z } from 'zod';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { describeStatusForApplicant } from '../../domain/naturalisation/applicantStatus';
import type { NaturalisationStage, WaitingFor } from '../../domain/naturalisation/stages';
import { verifyApplicantAccess } from '../naturalisation/applicantAccess';
import { text } from '../fields';
import { applicantReferenceSchema } from '../naturalisation/schemas';
import { defineRoute } from '../route';

const bilingual = z.object({ de: z.string(), en: z.string() });

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
        schema: z.object({ reference: z.string(), stage: bilingual, awaitedFromYou: bilingual.nullable(), nextStep: bilingual, updatedAt: z.string() }),
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
