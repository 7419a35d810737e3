import { checkDateOfBirth, normaliseGermanDate } from './fieldRules';
import { personDataSchema, type PersonData } from './person';
import { residencePeriodDataSchema, type ResidencePeriodData } from './residencePeriods';

/**
 * The column sets of the register's bulk load (CSV, header row naming the columns in any order
 * and any case) and the check of one row. A row is judged by the same schemas as a JSON body of
 * the API; what needs the register (an unknown file number, an overlap with a stored period)
 * is checked when the row is merged.
 */

export type ImportKind = 'persons' | 'residence_periods';

export const importColumns: Record<ImportKind, { required: readonly string[]; optional: readonly string[] }> = {
  persons: {
    required: ['file_number', 'family_name', 'given_names', 'date_of_birth'],
    optional: ['nationalities', 'street', 'postal_code', 'city', 'country', 'email', 'phone', 'preferred_language'],
  },
  residence_periods: {
    required: ['file_number', 'status', 'valid_from'],
    optional: ['valid_to', 'permit_basis', 'duldung_ground', 'protection_granted_later', 'document_number', 'document_expiry'],
  },
};

export interface RowIssue {
  /** The column, or `row` for the row as a whole. */
  path: string;
  message: string;
}

export type RowCheck<T> = { ok: true; value: T } | { ok: false; issues: RowIssue[] };

type Cells = Record<string, string>;

const blank = (value: string | undefined) => value === undefined || value.trim() === '';
const cell = (cells: Cells, column: string) => (blank(cells[column]) ? null : cells[column].trim());
const dateCell = (cells: Cells, column: string) => {
  const value = cell(cells, column);
  return value === null ? null : normaliseGermanDate(value);
};

/** `true`/`false`, `ja`/`nein`, `yes`/`no`, `1`/`0`; blank: not known. */
function toBoolean(value: string | null): boolean | null | 'invalid' {
  if (value === null) return null;
  const lower = value.toLowerCase();
  if (['true', 'ja', 'yes', '1', 'j', 'y'].includes(lower)) return true;
  if (['false', 'nein', 'no', '0', 'n'].includes(lower)) return false;
  return 'invalid';
}

function toIssues(error: { issues: { path: PropertyKey[]; message: string }[] }, columnOf: (path: string) => string): RowIssue[] {
  return error.issues.map((issue) => ({ path: columnOf(issue.path.map(String).join('.')), message: issue.message }));
}

const personColumnOf: Record<string, string> = {
  fileNumber: 'file_number',
  givenNames: 'given_names',
  familyName: 'family_name',
  dateOfBirth: 'date_of_birth',
  preferredLanguage: 'preferred_language',
  'contact.email': 'email',
  'contact.phone': 'phone',
  'contact.postalAddress.street': 'street',
  'contact.postalAddress.postalCode': 'postal_code',
  'contact.postalAddress.city': 'city',
  'contact.postalAddress.country': 'country',
};

/**
 * Checks one row of a persons file, uploaded on `uploadedOn` (the date of birth must not lie
 * after it). Nationalities: ISO codes separated by spaces, `|` or `;`.
 */
export function checkPersonRow(cells: Cells, uploadedOn: string): RowCheck<PersonData> {
  const address = ['street', 'postal_code', 'city', 'country'].map((column) => cell(cells, column));
  const issues: RowIssue[] = [];
  if (address.some((v) => v !== null) && address.slice(0, 3).some((v) => v === null)) {
    issues.push({ path: 'street', message: 'an address needs street, postal_code and city (country defaults to DE)' });
  }
  const nationalities = cell(cells, 'nationalities');
  const candidate = {
    fileNumber: cells.file_number ?? '',
    givenNames: cells.given_names ?? '',
    familyName: cells.family_name ?? '',
    dateOfBirth: dateCell(cells, 'date_of_birth') ?? '',
    nationalities: nationalities === null ? [] : nationalities.toUpperCase().split(/[\s|;]+/).filter(Boolean),
    contact: {
      postalAddress: address.slice(0, 3).every((v) => v !== null)
        ? { street: address[0], postalCode: address[1], city: address[2], ...(address[3] === null ? {} : { country: address[3].toUpperCase() }) }
        : null,
      email: cell(cells, 'email'),
      phone: cell(cells, 'phone'),
    },
    ...(cell(cells, 'preferred_language') === null ? {} : { preferredLanguage: cell(cells, 'preferred_language')!.toLowerCase() }),
  };
  const parsed = personDataSchema.safeParse(candidate);
  if (!parsed.success) issues.push(...toIssues(parsed.error, (path) => personColumnOf[path] ?? (path.startsWith('nationalities') ? 'nationalities' : path || 'row')));
  const birthAfterUpload = parsed.success ? checkDateOfBirth(parsed.data.dateOfBirth, uploadedOn) : null;
  if (birthAfterUpload) issues.push({ path: 'date_of_birth', message: birthAfterUpload });
  return issues.length > 0 || !parsed.success ? { ok: false, issues } : { ok: true, value: parsed.data };
}

const periodColumnOf: Record<string, string> = {
  status: 'status',
  from: 'valid_from',
  to: 'valid_to',
  permitBasis: 'permit_basis',
  duldungGround: 'duldung_ground',
  protectionGrantedLater: 'protection_granted_later',
  documentNumber: 'document_number',
  documentExpiry: 'document_expiry',
};

/** Checks one row of a residence-periods file; the person is named by `file_number`. */
export function checkResidencePeriodRow(cells: Cells): RowCheck<ResidencePeriodData & { fileNumber: string }> {
  const issues: RowIssue[] = [];
  const fileNumber = cell(cells, 'file_number');
  if (fileNumber === null) issues.push({ path: 'file_number', message: 'must name the person by their file number' });
  const protection = toBoolean(cell(cells, 'protection_granted_later'));
  if (protection === 'invalid') issues.push({ path: 'protection_granted_later', message: 'must be true or false (ja/nein), or blank' });
  const parsed = residencePeriodDataSchema.safeParse({
    status: cell(cells, 'status')?.toLowerCase() ?? '',
    from: dateCell(cells, 'valid_from') ?? '',
    to: dateCell(cells, 'valid_to'),
    permitBasis: cell(cells, 'permit_basis'),
    duldungGround: cell(cells, 'duldung_ground'),
    protectionGrantedLater: protection === 'invalid' ? null : protection,
    documentNumber: cell(cells, 'document_number'),
    documentExpiry: dateCell(cells, 'document_expiry'),
  });
  if (!parsed.success) issues.push(...toIssues(parsed.error, (path) => periodColumnOf[path] ?? (path || 'row')));
  return issues.length > 0 || !parsed.success ? { ok: false, issues } : { ok: true, value: { ...parsed.data, fileNumber: fileNumber! } };
}
