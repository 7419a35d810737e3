import type { Request, Response } from 'express';
import { consoleClientHeaders, forwardConsoleClient } from '../../console/apiClient';

/**
 * The console calls its own API on this host and names the client it serves (issue: behind a
 * proxy, every applicant and clerk shared one rate-limit bucket and the audit trail recorded the
 * proxy). The API believes that name only with the console's secret and only on a connection from
 * this host — loopback, or the very address the request arrived at (a server bound to another
 * interface calling itself) — never from another host.
 */
describe('the API believes the console about the client only from this host', () => {
  const applicant = '203.0.113.7';
  /** The address the API takes as the client's (req.ip) for a request on that connection. */
  function clientSeen(socket: { remoteAddress: string; localAddress: string }, headers: Record<string, string>) {
    const req = { headers: { ...headers }, socket, ip: socket.remoteAddress } as unknown as Request;
    forwardConsoleClient()(req, {} as Response, () => undefined);
    return { ip: req.ip, headersLeft: Object.keys(req.headers).filter((name) => name.startsWith('x-kim-')) };
  }

  test.each([
    ['loopback (a server bound to 127.0.0.1)', { remoteAddress: '127.0.0.1', localAddress: '127.0.0.1' }, applicant],
    ['IPv6 loopback', { remoteAddress: '::1', localAddress: '::1' }, applicant],
    ['the address it arrived at (a server bound to 10.1.2.3 behind a proxy on another host)', { remoteAddress: '10.1.2.3', localAddress: '10.1.2.3' }, applicant],
    ['another host (the proxy itself sending the header)', { remoteAddress: '10.1.2.9', localAddress: '10.1.2.3' }, '10.1.2.9'],
  ])('%s', (_label, socket, expected) => {
    expect(clientSeen(socket, consoleClientHeaders({ ip: applicant }))).toEqual({ ip: expected, headersLeft: [] });
  });

  test('without the console\'s secret the header is dropped, on loopback too', () => {
    const forged = { ...consoleClientHeaders({ ip: applicant }), 'x-kim-console-secret': 'guessed' };
    expect(clientSeen({ remoteAddress: '127.0.0.1', localAddress: '127.0.0.1' }, forged)).toEqual({ ip: '127.0.0.1', headersLeft: [] });
  });
});
