import fs from 'node:fs';
import path from 'node:path';

/** The TypeScript sources under a folder of the repository (the tests run from dist/). */
function sourcesUnder(folder: string): string[] {
  const root = path.resolve(__dirname, '..', '..', '..', folder);
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(root, file));
}

/**
 * SQL lives only in `db/queries/<entity>.ts`, and transactions go through `withTransaction`
 * (db/transaction.ts): the API layer neither queries nor opens a transaction by hand.
 */
describe('the API layer and the console hold no SQL', () => {
  const sql = /\.query\s*[<(]|\b(SELECT\s+[\w*.,\s]+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b|'(BEGIN|COMMIT|ROLLBACK)'/;
  test.each([...sourcesUnder('api'), ...sourcesUnder('console')].map((file) => [path.relative(path.resolve(__dirname, '..', '..', '..'), file), file]))('%s', (_name, file) => {
    const offending = fs.readFileSync(file, 'utf8').split('\n').map((line, index) => ({ line: index + 1, text: line.trim() })).filter(({ text }) => sql.test(text));
    expect(offending).toEqual([]);
  });
});
