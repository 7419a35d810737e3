import { html, raw } from '../../console/html';
import { translator } from '../../console/i18n';
import { de } from '../../console/i18n/de';
import { en } from '../../console/i18n/en';
import { classifyUrgency } from '../../console/trafficLight';

describe('the html template helper', () => {
  test('escapes every interpolated value, in text and in attributes', () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });
  test('nests templates without escaping them twice; arrays are joined, null/undefined/false are nothing', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
    expect(html`${raw('<br>')}`.value).toBe('<br>');
  });
});

describe('the message files', () => {
  test('German and English have the same keys, and no text is empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
    for (const text of [...Object.values(de), ...Object.values(en)]) expect(text.trim().length).toBeGreaterThan(0);
  });
  test('placeholders are filled; an unknown key shows its last part readably', () => {
    expect(translator('de')('nav.signedInAs', { name: 'Anna' })).toBe('Angemeldet als Anna');
    expect(translator('en')('nav.signedInAs', { name: 'Anna' })).toBe('Signed in as Anna');
    expect(translator('en')('stage.some_new_stage')).toBe('some new stage');
  });
});

describe('the traffic light', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  test.each([
    ['nothing due', null, [], 'none'],
    ['due in a month', '2026-12-26T12:00:00Z', [], 'green'],
    ['due in exactly 14 days', '2026-12-10T12:00:00Z', [], 'amber'],
    ['due in 14 days and a minute', '2026-12-10T12:01:00Z', [], 'green'],
    ['due now', '2026-11-26T12:00:00Z', [], 'red'],
    ['past due', '2026-11-20T00:00:00Z', [], 'red'],
    ['§ 75 VwGO mark passed (flag), next due later', '2027-02-01T00:00:00Z', ['lawsuit_possible'], 'red'],
    ['document deadline expired (flag)', null, ['document_deadline_expired'], 'red'],
  ])('%s', (_name, due, flags, expected) => {
    expect(classifyUrgency(due as string | null, flags as string[], now)).toBe(expected);
  });
});
