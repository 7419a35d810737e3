// The workflows a worker registers; each file is one process.
export { naturalisationApplication } from './naturalisation';
export { retentionSweep } from './retention';
export { teamDigests } from './teamDigest';
export { backlogImport } from './backlogImport';
export { residenceCheck, permitExpiryWatch, residenceSweep } from './residence';
export { handoff } from './handoff';
export { outreachDailyMessages, outreachCampaign } from './outreach';
