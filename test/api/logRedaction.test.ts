import nodemailer from 'nodemailer';
import { createLogger } from '../../api/logger';
import { createTestDatabase } from '../support/postgres';
import { startTestSmtp } from '../support/smtp';

/**
 * Error logs carry no personal data: PostgreSQL's `detail` (the key values of a violated
 * constraint) is dropped, and e-mail addresses in messages (an SMTP server's rejection) are masked.
 * Real errors from a real PostgreSQL and a real SMTP listener, through the process's logger.
 */
describe('log redaction', () => {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  beforeEach(() => void lines.splice(0));

  test('a PostgreSQL error keeps its code and constraint, not the detail with the values', async () => {
    const db = await createTestDatabase();
    try {
      await db.pool.query('CREATE TABLE contacts (email text UNIQUE, name text)');
      await db.pool.query("INSERT INTO contacts VALUES ('anna.schmidt@example.org', 'Anna Schmidt')");
      const error = await db.pool.query("INSERT INTO contacts VALUES ('anna.schmidt@example.org', 'Anna Schmidt')").catch((e: unknown) => e);
      expect((error as { detail?: string }).detail).toContain('anna.schmidt@example.org');
      logger.error({ err: error }, 'unexpected error');
    } finally {
      await db.drop();
    }
    const output = lines.join('');
    expect(output).toContain('23505');
    expect(output).toContain('contacts_email_key');
    expect(output).not.toContain('anna.schmidt');
    expect(output).not.toContain('Key (email)');
  });

  test('an SMTP rejection naming the recipient is logged without the address', async () => {
    const smtp = await startTestSmtp({ refuseRecipient: (address) => address.startsWith('mehmet') });
    try {
      const transport = nodemailer.createTransport({ url: smtp.url } as never);
      const error = await transport
        .sendMail({ from: 'team@kim.localhost', to: 'mehmet.yilmaz@example.org', subject: 'Termin', text: 'Hallo' })
        .catch((e: unknown) => e);
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error)).toContain('mehmet.yilmaz@example.org');
      logger.warn({ err: error }, 'mail refused');
      logger.warn(`could not send to ${(error as { rejected?: string[] }).rejected?.[0]}`);
    } finally {
      await smtp.stop();
    }
    const output = lines.join('');
    expect(output).toContain('mail refused');
    expect(output).toContain('@example.org');
    expect(output).not.toContain('mehmet');
  });
});
