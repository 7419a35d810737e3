import { z } from 'zod';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { caseTypes } from '../../processes';
import { defineRoute } from '../route';

export const statisticsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/statistics/:caseType',
    operation: 'statistics.cases',
    access: ['coordinator', 'admin'],
    summary: "Anonymised figures of the caller's authority's cases of one process, for the steering group: counts only, no personal data",
    tags: ['statistics'],
    request: { params: z.strictObject({ caseType: z.enum(caseTypes) }), query: z.strictObject({}) },
    responses: {
      200: {
        description: 'Counts by stage, month of filing and flag',
        schema: z.object({
          authorityId: z.string(),
          caseType: z.string(),
          total: z.number().int(),
          byStage: z.record(z.string(), z.number().int()),
          byFilingMonth: z.record(z.string(), z.number().int()),
          byFlag: z.record(z.string(), z.number().int()),
          lawsuitPossible: z.number().int(),
        }),
      },
      400: { description: 'No such process' },
    },
    handler: async ({ params }, deps, { principal }) => {
      const rows = await createCaseProjectionQueries(deps.pool).countCasesByAuthority(principal.authorityId, params.caseType);
      const byStage: Record<string, number> = {};
      const byFilingMonth: Record<string, number> = {};
      const byFlag: Record<string, number> = {};
      for (const row of rows) {
        byStage[row.stage] = (byStage[row.stage] ?? 0) + row.count;
        if (row.filedMonth) byFilingMonth[row.filedMonth] = (byFilingMonth[row.filedMonth] ?? 0) + row.count;
        for (const flag of row.flags) byFlag[flag] = (byFlag[flag] ?? 0) + row.count;
      }
      const total = rows.reduce((sum, row) => sum + row.count, 0);
      return {
        status: 200,
        body: { authorityId: principal.authorityId, caseType: params.caseType, total, byStage, byFilingMonth, byFlag, lawsuitPossible: byFlag.lawsuit_possible ?? 0 },
      };
    },
  }),
];
