/**
 * Task queues shared by every process: SMTP delivery of the outbox, and housekeeping (the
 * retention sweep, the daily digest). Each process family has its own queue besides (its
 * module in processes/ names it).
 */
export const messagesTaskQueue = 'messages';
export const housekeepingTaskQueue = 'housekeeping';
