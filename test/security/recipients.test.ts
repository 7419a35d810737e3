import { reassignBodySchema } from '../../api/naturalisation/schemas';
import { isSingleEmailAddress, toSingleRecipient } from '../../security/recipients';

describe('one recipient, never a list', () => {
  test.each([
    ['clerk.yilmaz@koeln.de', 'clerk.yilmaz@koeln.de'],
    ['a+b@sub.example.org', 'a+b@sub.example.org'],
    ['clerk@koeln.de, boss@evil.example', undefined],
    ['clerk@koeln.de,boss@evil.example', undefined],
    ['clerk@koeln.de;boss@evil.example', undefined],
    ['Clerk <clerk@koeln.de>', undefined],
    ['clerk@koeln.de\r\nBcc: boss@evil.example', undefined],
    ['clerk@koeln.de boss@evil.example', undefined],
    ['"a,b"@koeln.de', undefined],
    ['clerk-7', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j → %j', (value, expected) => {
    expect(toSingleRecipient(value)).toBe(expected);
  });

  test('a very long address is not one', () => {
    expect(isSingleEmailAddress(`${'a'.repeat(250)}@x.de`)).toBe(false);
  });

  test.each([
    ['clerk-7', true],
    ['clerk.yilmaz@koeln.de', true],
    ['clerk@koeln.de, boss@evil.example', false],
    ['clerk@koeln.de,boss@evil.example', false],
    ['Frau Yilmaz', false],
    ['clerk\nboss', false],
  ])('an assignment to %j is %s', (assignee, valid) => {
    const parsed = reassignBodySchema.safeParse({ assignee, expectedVersion: 3 });
    expect(parsed.success).toBe(valid);
    if (!parsed.success) expect(parsed.error.issues[0].path).toEqual(['assignee']);
  });
});
