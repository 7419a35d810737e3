import nodemailer, { type Transporter } from 'nodemailer';

/**
 * A pooled SMTP transport with the worker's connection options (its URL and timeouts): a few
 * connections kept open and reused. A new connection per message (greeting, EHLO, QUIT) would
 * halve throughput. Shared by the outbox relay and outreach's sending.
 */
export function createPooledMailer(mailer: Transporter, maxConnections = 8): Transporter {
  const options = (mailer as unknown as { options: Record<string, unknown> }).options;
  return nodemailer.createTransport({ ...options, pool: true, maxConnections, maxMessages: Infinity } as Parameters<typeof nodemailer.createTransport>[0]);
}
