import { loadConfig } from '../../config';
import type { AcknowledgementSettings } from '../../domain/handoff/acknowledgementDeadline';

/** The handoff process's configuration, read once from the environment (config/index.ts). */
export interface HandoffSettings {
  acknowledgement: AcknowledgementSettings;
  /** The case-management team's mailbox of an authority. */
  caseManagementMailbox(authorityId: string): string;
  kimCoordinatorMailbox: string;
}

let cached: HandoffSettings | undefined;

export function loadHandoffSettings(env: NodeJS.ProcessEnv = process.env): HandoffSettings {
  if (cached && env === process.env) return cached;
  const config = loadConfig(env);
  const perAuthority = new Map(
    config.CASE_MANAGEMENT_MAILBOXES.split(',')
      .map((pair) => pair.split('=').map((part) => part.trim()))
      .filter((pair): pair is [string, string] => pair.length === 2 && pair[0].length > 0 && pair[1].length > 0),
  );
  const settings: HandoffSettings = {
    acknowledgement: {
      acceptanceWorkingDays: config.HANDOFF_ACCEPTANCE_WORKING_DAYS,
      escalationWorkingDays: config.HANDOFF_ESCALATION_WORKING_DAYS,
      expiryWorkingDays: config.HANDOFF_EXPIRY_WORKING_DAYS,
    },
    caseManagementMailbox: (authorityId) => perAuthority.get(authorityId) ?? config.CASE_MANAGEMENT_MAILBOX,
    kimCoordinatorMailbox: config.KIM_COORDINATOR_MAILBOX,
  };
  if (env === process.env) cached = settings;
  return settings;
}

/** The case-management team every handoff of an authority is addressed to. */
export const caseManagementTeam = 'case_management';
