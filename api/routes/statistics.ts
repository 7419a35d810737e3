import { z } from 'zod';
import { createCaseProjectionQueries } from '../../db/queries/caseProjections';
import { defineRoute } from '../route';

export const statisticsRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/v1/statistics/naturalisation',
    operation: 'statistics.naturalisation',
    access: ['coordinator', 'admin'],
    summary: "Anonymised figures of the caller's authority's naturalisation cases, for the steering group: counts only, no personal data",
    tags: ['statistics'],
    request: { query: z.strictObject({}) },
    responses: {
      200: {
        description: 'Counts by stage and month of filing',
        schema: z.object({
          authorityId: z.string(),
          total: z.number().int(),
          byStage: z.record(z.string(), z.number().int()),
          byFilingMonth: z.record(z.string(), z.number().int()),
          lawsuitPossible: z.number().int(),
        }),
      },
    },
    handler: async (_input, deps, { principal }) => {
      const rows = await createCaseProjectionQueries(deps.pool).countNaturalisationCasesByAuthority(principal.authorityId);
      const byStage: Record<string, number> = {};
      const byFilingMonth: Record<string, number> = {};
      let lawsuitPossible = 0;
      for (const row of rows) {
        byStage[row.stage] = (byStage[row.stage] ?? 0) + row.count;
        byFilingMonth[row.filedMonth] = (byFilingMonth[row.filedMonth] ?? 0) + row.count;
        if (row.lawsuitPossible) lawsuitPossible += row.count;
      }
      const total = rows.reduce((sum, row) => sum + row.count, 0);
      return { status: 200, body: { authorityId: principal.authorityId, total, byStage, byFilingMonth, lawsuitPossible } };
    },
  }),
];
