import fs from 'node:fs/promises';
import path from 'node:path';
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  recipients: string[];
  raw: string;
  messageId?: string;
}

export interface SmtpListenerOptions {
  port: number;
  host?: string;
  /** Called for each accepted message, before the server answers 250. */
  onMail: (mail: ReceivedMail) => Promise<void> | void;
  /** Holds the answer to DATA this long (to simulate a slow server). A dropped connection loses the message. */
  acceptDelayMs?: number;
  /** Called when a message's data has arrived, before the (possibly delayed) answer. */
  onDataReceived?: () => void;
  /** Called when the server has answered a message's data (`accepted`), or discarded it because its client had gone. */
  onDataSettled?: (accepted: boolean) => void;
  /** Recipients to refuse permanently (550 to RCPT TO, as a real MTA does for an unknown mailbox). */
  refuseRecipient?: (address: string) => boolean;
  /** Called for each recipient refused. */
  onRecipientRefused?: (address: string) => void;
}

/**
 * A real SMTP listener (the `smtp-server` package): the embedded mail sink of `npm start` and
 * the receiver of the tests. A message counts as received only when the server has answered
 * 250 to its DATA; if the client disconnects first, it is discarded, as by a real MTA.
 */
export async function startSmtpListener(options: SmtpListenerOptions) {
  // Sockets by client port: after a slow accept, a message whose client has gone is discarded.
  const sockets = new Map<number, Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuseRecipient?.(address.address)) {
        options.onRecipientRefused?.(address.address);
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        options.onDataReceived?.();
        const accept = async () => {
          if (options.acceptDelayMs) await new Promise((resolve) => setTimeout(resolve, options.acceptDelayMs));
          const socket = sockets.get(session.remotePort);
          if (!socket || socket.destroyed) throw new Error('client disconnected before the message was accepted');
          await options.onMail({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            recipients: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: /^message-id:\s*(.+)$/im.exec(raw)?.[1]?.trim(),
          });
        };
        accept().then(
          () => {
            options.onDataSettled?.(true);
            callback();
          },
          (error: Error) => {
            options.onDataSettled?.(false);
            callback(error);
          },
        );
      });
    },
  });
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.on('close', () => sockets.get(port) === socket && sockets.delete(port));
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    url: `smtp://${options.host ?? '127.0.0.1'}:${port}`,
    async stop() {
      for (const socket of sockets.values()) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The embedded mail sink of `npm start`: keeps each received message as an .eml file. */
export async function startSmtpSink(options: { dir: string; port: number }) {
  await fs.mkdir(options.dir, { recursive: true });
  return startSmtpListener({
    port: options.port,
    onMail: async (mail) => {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const id = (mail.messageId ?? 'no-id').replace(/[^A-Za-z0-9@.-]/g, '');
      await fs.writeFile(path.join(options.dir, `${stamp}-${id}.eml`), mail.raw);
    },
  });
}
