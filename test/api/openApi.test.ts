import { generateImportReference } from '../../activities/backlogImport';
import { routes } from '../../api/app';
import { generateReference } from '../../api/naturalisation/applicationService';
import { applicantReferenceSchema } from '../../api/naturalisation/schemas';
import { generateOpenApiDocument } from '../../api/route';

/** Every `pattern` in the document, with the JSON path where it stands. */
function collectPatterns(node: unknown, path: string, found: { path: string; pattern: string }[] = []) {
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') found.push({ path, pattern: value });
      else collectPatterns(value, `${path}/${key}`, found);
    }
  }
  return found;
}

/**
 * A client validating requests against the OpenAPI document compiles each `pattern` as an
 * ECMA-262 regular expression, without flags (JSON Schema has no place for them). The document
 * must therefore carry plain patterns that accept what the API accepts.
 */
describe('OpenAPI document: patterns a client can use', () => {
  const document = generateOpenApiDocument(routes) as unknown as { paths: Record<string, Record<string, unknown>> };
  const patterns = collectPatterns(document, '');

  test('the document has patterns (the walk finds them)', () => {
    expect(patterns.length).toBeGreaterThanOrEqual(5);
  });

  test.each(patterns.map((p) => [p.path, p.pattern] as const))('%s: %s compiles as a plain regular expression, no delimiters or flags', (_path, pattern) => {
    // No `/…/flags` text: neither delimiters around it nor an unescaped slash and flags at its end.
    expect(pattern).not.toMatch(/^\/.*\/[dgimsuvy]*$/);
    expect(pattern).not.toMatch(/(^|[^\\])\/[dgimsuvy]*$/);
    expect(() => new RegExp(pattern)).not.toThrow();
    // JSON Schema's dialect is ECMA-262 with Unicode semantics: it must compile with `u` too.
    expect(() => new RegExp(pattern, 'u')).not.toThrow();
  });

  const lookupBody = (document.paths['/api/v1/status/naturalisation'].post as { requestBody: { content: Record<string, { schema: { properties: Record<string, { pattern: string }> } }> } })
    .requestBody.content['application/json'].schema.properties.reference.pattern;
  const uploadHeader = (document.paths['/api/v1/status/naturalisation/documents'].post as { parameters: { name: string; schema: { pattern: string } }[] })
    .parameters.find((parameter) => parameter.name === 'x-reference')!.schema.pattern;

  const real = [generateReference('2026'), generateReference('2031'), generateImportReference('a9c1e3f0-1b2c-4d5e-8f90-0123456789ab', '2019-03-04')];

  test.each([
    ['the status lookup body', lookupBody],
    ['the upload header', uploadHeader],
  ])('the reference pattern of %s accepts real references, in any case, and what the API accepts', (_where, pattern) => {
    const regex = new RegExp(pattern);
    for (const reference of real) {
      expect(reference).toMatch(/^EBH-\d{4}-[A-Z2-9]{10}$/);
      expect(regex.test(reference)).toBe(true);
      expect(regex.test(reference.toLowerCase())).toBe(true);
    }
    // The document and the API agree, on good and on bad values.
    const samples = [...real, 'ebh-2026-abcdefghjk', 'EBH-2026-ABCDEF', 'EBH-2026-ABCDE', 'EBH-26-ABCDEFGHJK', 'XBH-2026-ABCDEFGHJK', 'EBH-2026-ABCDEFGHJK/i', 'EBH-2026-ÄBCDEFGHJK', ''];
    for (const sample of samples) {
      expect({ sample, document: regex.test(sample) }).toEqual({ sample, document: applicantReferenceSchema.safeParse(sample).success });
    }
  });
});

/**
 * Every value a request carries is bounded in the document (and so in the API, which it is
 * generated from): a string by a maximum length, an enumeration or a format of fixed shape; a
 * number by a minimum and a maximum within PostgreSQL's `integer`. A new field without a bound
 * fails here (the building blocks in api/fields.ts give one).
 */
describe('OpenAPI document: every request value is bounded', () => {
  type Schema = Record<string, unknown>;
  const document = generateOpenApiDocument(routes) as unknown as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
    components: { schemas: Record<string, Schema> };
  };
  const boundedFormats = ['uuid', 'date', 'date-time', 'binary'];

  function findUnbounded(schema: Schema, path: string, seen: Set<string>, found: string[]) {
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/components/schemas/', '');
      if (!seen.has(name)) findUnbounded(document.components.schemas[name], `#${name}`, new Set([...seen, name]), found);
      return;
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      (schema[key] as Schema[] | undefined)?.forEach((option, index) => findUnbounded(option, `${path}/${key}${index}`, seen, found));
    }
    const types = ([] as unknown[]).concat(schema.type ?? []);
    if (types.includes('string') && schema.maxLength === undefined && schema.enum === undefined && schema.const === undefined && !boundedFormats.includes(schema.format as string)) {
      found.push(`${path}: a string without maxLength`);
    }
    if (types.includes('integer') || types.includes('number')) {
      const min = (schema.minimum ?? schema.exclusiveMinimum) as number | undefined;
      const max = (schema.maximum ?? schema.exclusiveMaximum) as number | undefined;
      if (min === undefined || max === undefined || min < -2_147_483_648 || max > 2_147_483_647) found.push(`${path}: a number outside PostgreSQL's integer (${min} … ${max})`);
    }
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) findUnbounded(property, `${path}.${name}`, seen, found);
    if (schema.items) findUnbounded(schema.items as Schema, `${path}[]`, seen, found);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') findUnbounded(schema.additionalProperties as Schema, `${path}{}`, seen, found);
  }

  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as const));

  test.each(operations)('%s', (_name, operation) => {
    const found: string[] = [];
    for (const parameter of operation.parameters ?? []) {
      // Only the request's own headers: Authorization is the token's business.
      findUnbounded(parameter.schema, `${parameter.in}.${parameter.name}`, new Set(), found);
    }
    for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) findUnbounded(content.schema, `body(${type})`, new Set(), found);
    expect(found).toEqual([]);
  });
});
