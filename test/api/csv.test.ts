import fc from 'fast-check';
import { CsvSyntaxError, detectDelimiter, formatCsv, parseCsv } from '../../api/naturalisation/csv';

const fieldsOf = (text: string, delimiter?: ',' | ';') => parseCsv(text, { delimiter }).map((record) => record.fields);

describe('parseCsv (RFC 4180)', () => {
  test.each([
    ['plain fields, CRLF', 'a,b,c\r\n1,2,3\r\n', [['a', 'b', 'c'], ['1', '2', '3']]],
    ['LF line breaks', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['CR line breaks', 'a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
    ['no line break after the last record (RFC 4180 2.2)', 'a,b\r\n1,2', [['a', 'b'], ['1', '2']]],
    ['quoted fields with delimiters (2.6)', '"Haddad, Amina",x\r\n', [['Haddad, Amina', 'x']]],
    ['escaped quotes (2.7)', '"say ""hi""",b\r\n', [['say "hi"', 'b']]],
    ['a field of one escaped quote', '"""",b\r\n', [['"', 'b']]],
    ['line breaks inside quotes (2.6)', '"line 1\r\nline 2",b\r\n', [['line 1\r\nline 2', 'b']]],
    ['empty fields', ',,\r\n"",x,\r\n', [['', '', ''], ['', 'x', '']]],
    ['spaces are part of a field (2.4)', ' a , b \r\n', [[' a ', ' b ']]],
    ['blank lines are skipped', 'a\r\n\r\n\nb\r\n', [['a'], ['b']]],
    ['a quoted empty field alone is a record, not a blank line', '""\r\n', [['']]],
    ['a byte order mark is dropped', '\uFEFFa,b\r\n', [['a', 'b']]],
    ['umlauts and other letters pass unchanged', 'Müller,Şahin,Nguyễn\r\n', [['Müller', 'Şahin', 'Nguyễn']]],
    ['a quote inside an unquoted field is kept (lenient, as spreadsheet programs write it)', 'a"b,c\r\n', [['a"b', 'c']]],
    ['empty input', '', []],
  ])('%s', (_name, text, expected) => {
    expect(fieldsOf(text)).toEqual(expected);
  });

  test('semicolons as delimiter (German spreadsheet exports)', () => {
    expect(fieldsOf('a;b,c;"d;e"\r\n', ';')).toEqual([['a', 'b,c', 'd;e']]);
  });

  test('each record names the line it starts on, counting line breaks inside quotes', () => {
    const records = parseCsv('h1,h2\r\n"multi\r\nline",x\r\n\r\nlast,y\n"a\nb\nc",z');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5, 6]);
  });

  test('an unclosed quoted field is refused with the line where it starts', () => {
    expect(() => parseCsv('a,b\r\n1,"never closed\r\n2,3\r\n')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a,b\r\n1,"never closed\r\n2,3\r\n');
    } catch (error) {
      expect((error as CsvSyntaxError).line).toBe(2);
      expect((error as Error).message).toMatch(/^line 2: a quoted field is not closed/);
    }
  });

  test('text after a closing quote is refused with its line', () => {
    expect(() => parseCsv('a,b\r\n"x\r\ny"z,1\r\n')).toThrow(/^line 3: unexpected text after a closing quote/);
  });

  test.each([
    ['given_names,family_name\r\n', ','],
    ['given_names;family_name;email\r\n', ';'],
    ['"a;b",c\r\n', ','],
    ['"a,b";c\r\n', ';'],
    ['single\r\n', ','],
  ])('detectDelimiter(%j) is %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });

  test('what formatCsv writes, parseCsv reads back unchanged (property)', () => {
    const char = fc.constantFrom('a', 'Z', 'ä', ' ', ',', ';', '"', '\n', '\r', '\r\n', '1');
    const field = fc.array(char, { maxLength: 8 }).map((chars) => chars.join(''));
    const rows = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(rows, fc.constantFrom(',' as const, ';' as const), (table, delimiter) => {
        expect(fieldsOf(formatCsv(table, delimiter), delimiter)).toEqual(table);
      }),
      { numRuns: 500 },
    );
  });

  test('a 20 MB file parses in less than 3 s', () => {
    const row = '"EBH-2024-000001","Amina Maria","Haddad, geb. Saleh","1990-04-12","amina.haddad@example.org","ar","2024-03-01"\r\n';
    const text = row.repeat(Math.ceil(20_000_000 / row.length));
    const started = performance.now();
    const records = parseCsv(text);
    const ms = performance.now() - started;
    expect(records.length).toBe(Math.ceil(20_000_000 / row.length));
    expect(records[records.length - 1].fields[2]).toBe('Haddad, geb. Saleh');
    expect(ms).toBeLessThan(3_000);
  });
});
