import nodemailer, { type Transporter } from 'nodemailer';

/**
 * The SMTP transport. Timeouts are bounded so a hanging mail server fails an attempt (which is
 * retried) instead of holding it for ever.
 */
export function createMailer(smtpUrl: string): Transporter {
  return nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
}
