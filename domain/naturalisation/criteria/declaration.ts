import { Criterion, makeCriterion } from '../criterion';
import type { EligibilityConfig } from '../eligibilityConfig';
import { TriState } from '../facts';
import { determineTriStateStatus } from './triState';
import { determineUnder16Exemption } from './under16';

/**
 * A declaration of commitment the applicant makes: § 10 Abs. 1 Satz 1 Nr. 1 StAG (free
 * democratic basic order, loyalty) or § 10 Abs. 1 Satz 1 Nr. 1a StAG (Germany's historical
 * responsibility). Not applicable under 16 (§ 10 Abs. 1 Satz 2 StAG). The two criteria are
 * `basicOrderDeclaration.ts` and `historicalResponsibility.ts`.
 */
export function evaluateDeclaration(
  id: 'declaration_basic_order' | 'historical_responsibility',
  value: TriState,
  age: number,
  config: EligibilityConfig,
): Criterion {
  const exempt = determineUnder16Exemption(id, age, config);
  if (exempt !== null) {
    return exempt;
  }
  const basis = id === 'declaration_basic_order' ? '§ 10 Abs. 1 Satz 1 Nr. 1 StAG' : '§ 10 Abs. 1 Satz 1 Nr. 1a StAG';
  const what =
    id === 'declaration_basic_order'
      ? { de: 'Bekenntnis zur freiheitlichen demokratischen Grundordnung und Loyalitätserklärung', en: 'Commitment to the free democratic basic order and loyalty declaration' }
      : {
          de: 'Bekenntnis zur historischen Verantwortung Deutschlands, insbesondere zum Schutz jüdischen Lebens',
          en: "Commitment to Germany's historical responsibility, in particular the protection of Jewish life",
        };
  const status = determineTriStateStatus(value);
  const suffix = {
    met: { de: 'abgegeben.', en: 'made.' },
    not_met: { de: 'nicht abgegeben.', en: 'not made.' },
    unknown: { de: 'noch nicht erfasst.', en: 'not recorded yet.' },
    discretion: { de: '', en: '' },
  }[status];
  return makeCriterion(id, status, basis, `${what.de} ${suffix.de}`, `${what.en} ${suffix.en}`);
}
