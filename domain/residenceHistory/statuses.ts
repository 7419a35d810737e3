import { LocalDate } from '../calendar/localDate';

/**
 * A person's residence statuses over time, as every process reads them (naturalisation under
 * StAG, residence checks under § 25a AufenthG and § 25b AufenthG, the permit-expiry watch).
 * Pure data, no behaviour: what a period counts for is decided by each process's rules.
 */

/**
 * Residence status during a period.
 * - `permit`: Aufenthaltserlaubnis (§ 7 AufenthG); its purpose in `permitBasis`.
 * - `settlement_permit`: Niederlassungserlaubnis (§ 9 AufenthG) or Erlaubnis zum Daueraufenthalt – EU
 *   (§ 9a AufenthG): a permanent right of residence.
 * - `eu_free_movement`: free movement of Union citizens, EEA nationals and Swiss nationals
 *   (FreizügG/EU, Freizügigkeitsabkommen EU–Schweiz).
 * - `blue_card`: Blaue Karte EU (§ 18g AufenthG).
 * - `duldung`: toleration, suspension of deportation (§ 60a AufenthG); its ground in `permitBasis`.
 * - `gestattung`: permission to stay during the asylum procedure (§ 55 AsylG).
 * - `fiktion`: stay deemed permitted or old title continued while an application is pending
 *   (§ 81 Abs. 3 AufenthG, § 81 Abs. 4 AufenthG); the paragraph in `permitBasis`.
 * - `none`: present in Germany without any status (unlawful stay).
 */
export type ResidenceStatus =
  | 'permit'
  | 'settlement_permit'
  | 'eu_free_movement'
  | 'blue_card'
  | 'duldung'
  | 'gestattung'
  | 'fiktion'
  | 'none';

/**
 * One period of the residence history. Periods must not overlap. Days between two periods are
 * read as a stay ABROAD (see `counting.ts`); a stay in Germany without status must be recorded
 * as `status: 'none'`.
 */
export interface ResidencePeriodFact {
  /** First day of the period. */
  readonly from: LocalDate;
  /** Last day of the period (inclusive); for a document, the last day of its validity. Absent: ongoing. */
  readonly to?: LocalDate;
  readonly status: ResidenceStatus;
  /**
   * Legal basis in the house format, e.g. `'§ 16b AufenthG'`, `'§ 25 Abs. 2 AufenthG'`, `'§ 104c AufenthG'`.
   * For `fiktion`: `'§ 81 Abs. 3 Satz 1 AufenthG'`, `'§ 81 Abs. 3 Satz 2 AufenthG'` or `'§ 81 Abs. 4 AufenthG'`.
   * For `duldung`: its ground, e.g. `'§ 60a Abs. 2 Satz 1 AufenthG'`, `'§ 60b AufenthG'` (identity
   * unclear), `'§ 60c AufenthG'` (training), `'§ 60d AufenthG'` (employment).
   * Absent: not known.
   */
  readonly permitBasis?: string;
  /** For `gestattung` only: protection was later granted (§ 55 Abs. 3 AsylG). Absent: not known. */
  readonly protectionGrantedLater?: boolean;
  /**
   * The person re-entered at the start of this period within the period set by the foreign-resident
   * authority (§ 12b Abs. 1 Satz 2 StAG) or within three months after military service
   * (§ 12b Abs. 1 Satz 3 StAG), after a stay abroad longer than six months.
   */
  readonly reenteredWithinPermittedPeriod?: boolean;
  /**
   * For `none` only: lawfulness lapsed only because the first permit or its renewal was applied for
   * late (§ 12b Abs. 3 StAG).
   */
  readonly lateApplication?: boolean;
}

export type ResidenceHistory = readonly ResidencePeriodFact[];
