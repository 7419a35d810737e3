import { toBerlinLocalDate } from '../../domain/calendar/berlinTime';
import type { ResidenceSweepInput } from '../residenceDefinitions';
import { sweepResidenceWatches } from './activities';

/**
 * The daily sweep over the register (a Temporal schedule starts it): one permit-expiry watch per
 * permit expiring within its horizon, one transition check per § 104c AufenthG permit within its
 * horizon — each under an idempotent id, so nothing starts twice.
 */
export async function residenceSweep(input: ResidenceSweepInput = {}): Promise<{ watchesStarted: number; transitionChecksStarted: number }> {
  return sweepResidenceWatches({ asOf: toBerlinLocalDate(Date.now()), ...input });
}
