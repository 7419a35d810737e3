import { startSmtpListener, type ReceivedMail } from '../../scripts/embedded/smtpSink';

/** A received message and when the listener accepted it (ms since the epoch). */
export type TestMail = ReceivedMail & { receivedAt: number };

/**
 * A real SMTP listener for tests, keeping what it received in memory. It can answer slowly, and
 * can be stopped and started again on the same port (a mail server that goes away for a while).
 */
export async function startTestSmtp(options: { acceptDelayMs?: number; port?: number; refuseRecipient?: (address: string) => boolean } = {}) {
  const received: TestMail[] = [];
  const counters = { dataReceived: 0, dataSettled: 0, recipientsRefused: 0 };
  const onDataReceived = () => void counters.dataReceived++;
  const onDataSettled = () => void counters.dataSettled++;
  const refusing = { onDataSettled, refuseRecipient: options.refuseRecipient, onRecipientRefused: () => void counters.recipientsRefused++ };
  let listener = await startSmtpListener({
    port: options.port ?? 0,
    acceptDelayMs: options.acceptDelayMs,
    onDataReceived,
    ...refusing,
    onMail: (mail) => void received.push({ ...mail, receivedAt: Date.now() }),
  });
  const port = listener.port;
  return {
    received,
    /**
   * How many messages arrived at all (including those whose client went away before the answer),
   * how many of them the server has settled (answered, or discarded for a gone client), and how
   * many recipients were refused.
   */
    counters,
    port,
    url: `smtp://127.0.0.1:${port}`,
    async stop() {
      await listener.stop();
    },
    async restart(acceptDelayMs?: number) {
      listener = await startSmtpListener({ port, acceptDelayMs, onDataReceived, ...refusing, onMail: (mail) => void received.push({ ...mail, receivedAt: Date.now() }) });
    },
    /** Waits until `count` received messages match, or fails after the timeout. */
    async waitFor(predicate: (mail: TestMail) => boolean, count = 1, timeoutMs = 60_000): Promise<TestMail[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = received.filter(predicate);
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} matching mails within ${timeoutMs} ms, got ${matching.length} (of ${received.length})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/** The decoded Subject header of a raw message (nodemailer encodes non-ASCII subjects). */
export function subjectOf(mail: ReceivedMail): string {
  const header = /^subject:\s*((?:.*)(?:\r?\n[ \t].*)*)/im.exec(mail.raw)?.[1] ?? '';
  return header
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}
