export { outreachDailyMessages } from './dailyMessages';
export { outreachCampaign } from './campaign';
