import { openAccessToken, randomSecret, sealAccessToken } from '../../console/session';

/** The console keeps a session's access token sealed under a key derived from the cookie's id. */
describe('sealed access token of a console session', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlYmgtYW5uYSJ9.c2lnbmF0dXJl';

  test('opens with the session id it was sealed under, and differs on every sealing', () => {
    const id = randomSecret();
    const first = sealAccessToken(id, token);
    const second = sealAccessToken(id, token);
    expect(first).not.toBe(second);
    expect(first).not.toContain('eyJ');
    expect(openAccessToken(id, first)).toBe(token);
    expect(openAccessToken(id, second)).toBe(token);
  });

  test.each([
    ['another session id', (sealed: string) => ({ id: randomSecret(), stored: sealed })],
    ['a token stored in clear', () => ({ id: 'the-id', stored: token })],
    ['a changed byte', (sealed: string) => ({ id: 'the-id', stored: sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'AB' : 'AA') })],
    ['a truncated value', (sealed: string) => ({ id: 'the-id', stored: sealed.slice(0, 20) })],
  ])('does not open with %s', (_label, tamper) => {
    const { id, stored } = tamper(sealAccessToken('the-id', token));
    expect(openAccessToken(id, stored)).toBeUndefined();
  });
});
