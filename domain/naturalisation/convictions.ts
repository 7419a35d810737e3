import { LocalDate } from '../calendar/localDate';
import { Criterion, makeCriterion } from './criterion';
import { DatedHistory, findDatedEntry } from './datedHistory';
import { CriminalRecordFacts, Sentence } from './facts';

/**
 * No criminal conviction, § 10 Abs. 1 Satz 1 Nr. 5 StAG, with the allowances of § 12a StAG:
 * - § 12a Abs. 1 Satz 1 StAG: disregarded are educational and disciplinary measures under the
 *   JGG (Nr. 1), fines up to 90 daily rates (Nr. 2), and prison up to three months suspended on
 *   probation and remitted after the probation period (Nr. 3);
 * - § 12a Abs. 1 Satz 2 StAG: Satz 1 does not apply at all when a prison, fine or youth sentence
 *   was imposed for an antisemitic, racist, xenophobic or otherwise inhuman act (§ 46 Abs. 2
 *   Satz 2 StGB) and the judgment found that motive;
 * - § 12a Abs. 1 Satz 3 StAG: several fines and prison sentences are added up (unless a lower
 *   aggregate sentence was formed); one daily rate equals one day of prison;
 * - § 12a Abs. 1 Satz 4 StAG: a slight excess is decided case by case;
 * - § 12a Abs. 1 Satz 5 StAG: a measure under § 61 Nr. 5 or Nr. 6 StGB is decided case by case;
 * - § 12a Abs. 3 StAG: while an investigation is pending (or a youth penalty is deferred under
 *   § 27 JGG) the decision is suspended.
 */

// Legal choices made as configuration (see `convictionRulesHistory`):
// - One month of prison = 30 days. The statute converts only daily rates to days
//   (§ 12a Abs. 1 Satz 3 StAG); 30 days per month makes "three months" equal the 90 daily rates
//   of Nr. 2, which is how the allowance is read in practice. (verify)
// - "Slight excess" (geringfügig) = up to 21 days over, i.e. a total of 91 to 111 →
//   `discretion`; 112 and more → `not_met`. Source: BMI application notes (VAH-StAG 12a.1.3:
//   21 daily rates or three weeks of prison). Courts are not bound by that figure. (verify)
// Implementation choices:
// - A prison sentence counts towards the sum only if suspended AND remitted. Any other prison
//   sentence (unsuspended, or probation still running) and any youth penalty (Jugendstrafe) is
//   outside § 12a Abs. 1 Satz 1 StAG → `not_met`; a suspended sentence may become disregardable
//   once remitted, which the reason says.
// - A suspended prison sentence longer than three months but remitted enters the sum; a slight
//   excess of the total is then case by case (Satz 4 speaks of "die Strafe oder die Summe").
// - A juvenile measure with a motive finding does not trigger Satz 2 (Satz 2 needs a prison,
//   fine or youth sentence).
// - A pending investigation only suspends when the record is otherwise not already a bar: if the
//   sentences given already exclude naturalisation, the result is `not_met` (the investigation
//   cannot improve it) and the investigation is listed in `details`.
// - The caller passes only sentences that may still be used (not erased, § 12a Abs. 2 StAG for
//   foreign ones) and gives an aggregate sentence (Gesamtstrafe) as one sentence.

export interface ConvictionRules {
  /** § 12a Abs. 1 Satz 1 Nr. 2 StAG. */
  readonly maxDisregardedDailyRates: number;
  /** § 12a Abs. 1 Satz 1 Nr. 3 StAG. */
  readonly maxDisregardedPrisonMonths: number;
  /** Conversion of prison months to days for the sum (§ 12a Abs. 1 Satz 3 StAG). (verify) */
  readonly daysPerPrisonMonth: number;
  /** Largest excess still "slight" (§ 12a Abs. 1 Satz 4 StAG, VAH-StAG 12a.1.3). (verify) */
  readonly slightExcessDays: number;
  /** § 61 StGB numbers decided case by case (§ 12a Abs. 1 Satz 5 StAG). */
  readonly caseByCaseMeasures: readonly number[];
  readonly note: string;
}

/** Dated thresholds of § 12a StAG, in force in this form from 27 June 2024. */
export const convictionRulesHistory: DatedHistory<ConvictionRules> = Object.freeze([
  {
    validFrom: '2024-06-27',
    basis: '§ 12a Abs. 1 StAG',
    value: Object.freeze({
      maxDisregardedDailyRates: 90,
      maxDisregardedPrisonMonths: 3,
      daysPerPrisonMonth: 30,
      slightExcessDays: 21,
      caseByCaseMeasures: Object.freeze([5, 6]),
      note:
        '1 daily rate = 1 day (statute); 1 month of prison = 30 days (implementation, verify); slight excess = up to ' +
        '21 days over the 90-day frame, i.e. up to 111 (VAH-StAG 12a.1.3, verify).',
    }),
  },
]);

const BASIS = '§ 10 Abs. 1 Satz 1 Nr. 5 StAG';

/**
 * Days a fine or prison sentence adds to the § 12a Abs. 1 Satz 3 StAG sum.
 * @returns whole days: daily rates for a fine; months × `daysPerPrisonMonth` + days for prison.
 */
export function computeSentenceDays(sentence: Sentence, rules: ConvictionRules): number {
  switch (sentence.kind) {
    case 'fine':
      assertNonNegative(sentence.dailyRates, 'dailyRates');
      return sentence.dailyRates;
    case 'prison':
      assertNonNegative(sentence.months, 'months');
      assertNonNegative(sentence.days ?? 0, 'days');
      return sentence.months * rules.daysPerPrisonMonth + (sentence.days ?? 0);
    default:
      return 0;
  }
}

function assertNonNegative(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Sentence ${name} must be a non-negative integer: ${value}`);
  }
}

function hasMotiveFinding(sentence: Sentence): boolean | undefined {
  if (sentence.kind === 'fine' || sentence.kind === 'prison' || sentence.kind === 'juvenile_penalty') {
    return sentence.inhumanMotiveFound;
  }
  return false;
}

interface RecordAssessment {
  readonly criterion: Criterion;
  /** True if the outcome is a bar whatever a pending investigation brings. */
  readonly barredAnyway: boolean;
}

function assessSentences(sentences: readonly Sentence[], rules: ConvictionRules): RecordAssessment {
  const motive = sentences.find((sentence) => hasMotiveFinding(sentence) === true);
  if (motive !== undefined) {
    return {
      barredAnyway: true,
      criterion: makeCriterion(
        'convictions',
        'not_met',
        '§ 12a Abs. 1 Satz 2 StAG',
        'Verurteilung wegen einer antisemitisch, rassistisch, fremdenfeindlich oder sonst menschenverachtend motivierten Tat: keine Bagatellgrenze.',
        'Conviction for an antisemitic, racist, xenophobic or otherwise inhuman act: no allowance applies.',
        { sentenceKind: motive.kind },
      ),
    };
  }
  for (const sentence of sentences) {
    if (sentence.kind === 'juvenile_penalty') {
      return {
        barredAnyway: true,
        criterion: makeCriterion(
          'convictions',
          'not_met',
          BASIS,
          'Eine Jugendstrafe fällt nicht unter die Bagatellgrenzen des § 12a Abs. 1 Satz 1 StAG.',
          'A youth penalty is not covered by the allowances of § 12a Abs. 1 Satz 1 StAG.',
          { sentenceKind: sentence.kind },
        ),
      };
    }
    if (sentence.kind === 'prison' && !(sentence.suspended && sentence.remitted)) {
      const onProbation = sentence.suspended && !sentence.remitted;
      return {
        barredAnyway: !onProbation,
        criterion: makeCriterion(
          'convictions',
          'not_met',
          '§ 12a Abs. 1 Satz 1 Nr. 3 StAG',
          onProbation
            ? 'Freiheitsstrafe zur Bewährung ausgesetzt, aber (noch) nicht erlassen; erst nach Erlass kann sie außer Betracht bleiben.'
            : 'Freiheitsstrafe ohne Bewährung bleibt nicht außer Betracht.',
          onProbation
            ? 'Prison sentence suspended on probation but not (yet) remitted; it can be disregarded only after remission.'
            : 'An unsuspended prison sentence is not disregarded.',
          { sentenceKind: sentence.kind, suspended: sentence.suspended, remitted: sentence.remitted },
        ),
      };
    }
    if (sentence.kind === 'correctional_measure' && !rules.caseByCaseMeasures.includes(sentence.stgbSection61Number)) {
      return {
        barredAnyway: true,
        criterion: makeCriterion(
          'convictions',
          'not_met',
          BASIS,
          `Maßregel der Besserung und Sicherung nach § 61 Nr. ${sentence.stgbSection61Number} StGB.`,
          `Measure of correction and prevention under § 61 Nr. ${sentence.stgbSection61Number} StGB.`,
          { sentenceKind: sentence.kind },
        ),
      };
    }
  }

  const totalDays = sentences.reduce((sum, sentence) => sum + computeSentenceDays(sentence, rules), 0);
  const frame = rules.maxDisregardedDailyRates;
  const slightLimit = frame + rules.slightExcessDays;
  const details = { totalDays, frameDays: frame, slightExcessLimitDays: slightLimit, sentences: sentences.length };
  if (totalDays > slightLimit) {
    return {
      barredAnyway: true,
      criterion: makeCriterion(
        'convictions',
        'not_met',
        '§ 12a Abs. 1 Satz 4 StAG',
        `Strafen von zusammen ${totalDays} Tagessätzen/Tagen übersteigen die Grenze von ${frame} um mehr als ${rules.slightExcessDays}.`,
        `Sentences totalling ${totalDays} daily rates/days exceed the ${frame} limit by more than ${rules.slightExcessDays}.`,
        details,
      ),
    };
  }
  const motiveUnknown = sentences.some((sentence) => hasMotiveFinding(sentence) === undefined);
  if (motiveUnknown) {
    return {
      barredAnyway: false,
      criterion: makeCriterion(
        'convictions',
        'unknown',
        '§ 12a Abs. 1 Satz 2 StAG',
        'Ob das Urteil einen menschenverachtenden Beweggrund festgestellt hat, ist nicht erfasst; davon hängt die Bagatellgrenze ab.',
        'Whether the judgment found an inhuman motive is not recorded; the allowance depends on it.',
        details,
      ),
    };
  }
  const measure = sentences.find((sentence) => sentence.kind === 'correctional_measure');
  if (totalDays > frame) {
    return {
      barredAnyway: false,
      criterion: makeCriterion(
        'convictions',
        'discretion',
        '§ 12a Abs. 1 Satz 4 StAG',
        `Strafen von zusammen ${totalDays} Tagessätzen/Tagen übersteigen die Grenze von ${frame} geringfügig: Entscheidung im Einzelfall.`,
        `Sentences totalling ${totalDays} daily rates/days slightly exceed the ${frame} limit: case-by-case decision.`,
        details,
      ),
    };
  }
  if (measure !== undefined) {
    return {
      barredAnyway: false,
      criterion: makeCriterion(
        'convictions',
        'discretion',
        '§ 12a Abs. 1 Satz 5 StAG',
        'Maßregel nach § 61 Nr. 5 oder Nr. 6 StGB: Entscheidung im Einzelfall.',
        'Measure under § 61 Nr. 5 or Nr. 6 StGB: case-by-case decision.',
        details,
      ),
    };
  }
  return {
    barredAnyway: false,
    criterion: makeCriterion(
      'convictions',
      'met',
      sentences.length === 0 ? BASIS : '§ 12a Abs. 1 Satz 1 StAG',
      sentences.length === 0 ? 'Keine Verurteilung.' : `Verurteilungen bleiben außer Betracht (zusammen ${totalDays} Tagessätze/Tage).`,
      sentences.length === 0 ? 'No conviction.' : `Convictions are disregarded (total ${totalDays} daily rates/days).`,
      details,
    ),
  };
}

/**
 * Criminal record criterion on `asOf`: § 10 Abs. 1 Satz 1 Nr. 5 StAG with § 12a Abs. 1 StAG and
 * § 12a Abs. 3 StAG. Throws `RangeError` before 27 June 2024.
 * @returns a `convictions` criterion; `details.totalDays` is the § 12a Abs. 1 Satz 3 StAG sum
 *   (daily rates and prison days, months at `daysPerPrisonMonth`).
 */
export function evaluateConvictions(
  record: CriminalRecordFacts,
  asOf: LocalDate,
  history: DatedHistory<ConvictionRules> = convictionRulesHistory,
): Criterion {
  const rules = findDatedEntry(history, asOf).value;
  const assessment = record.sentences === undefined ? null : assessSentences(record.sentences, rules);
  if (assessment !== null && assessment.barredAnyway) {
    return record.pendingInvestigation === 'no'
      ? assessment.criterion
      : { ...assessment.criterion, details: { ...assessment.criterion.details, pendingInvestigation: record.pendingInvestigation } };
  }
  if (record.pendingInvestigation === 'yes' || record.juvenilePenaltyDeferred === true) {
    const deferred = record.pendingInvestigation !== 'yes';
    return makeCriterion(
      'convictions',
      'unknown',
      deferred ? '§ 12a Abs. 3 Satz 2 StAG' : '§ 12a Abs. 3 Satz 1 StAG',
      deferred
        ? 'Die Entscheidung ist ausgesetzt, solange die Verhängung der Jugendstrafe nach § 27 JGG ausgesetzt ist.'
        : 'Die Entscheidung ist ausgesetzt: ein Ermittlungs- oder Strafverfahren ist anhängig (bis zum Abschluss bzw. zur Rechtskraft).',
      deferred
        ? 'The decision is suspended while the imposition of a youth penalty is deferred under § 27 JGG.'
        : 'The decision is suspended: a criminal investigation or proceedings are pending (until closed or final).',
      { suspended: true },
    );
  }
  if (assessment === null) {
    return makeCriterion(
      'convictions',
      'unknown',
      BASIS,
      'Auszug aus dem Bundeszentralregister liegt noch nicht vor.',
      'The federal central register extract is not available yet.',
      { registerExtract: false },
    );
  }
  if (record.pendingInvestigation === 'unknown' && assessment.criterion.status !== 'unknown') {
    return makeCriterion(
      'convictions',
      'unknown',
      '§ 12a Abs. 3 Satz 1 StAG',
      'Ob ein Ermittlungsverfahren anhängig ist, ist nicht bekannt.',
      'It is not known whether a criminal investigation is pending.',
      { ...assessment.criterion.details, recordStatus: assessment.criterion.status },
    );
  }
  return assessment.criterion;
}
