/** How urgent a case is, for the queue and the case page: never shown by colour alone (components.ts). */
export type TrafficLight = 'red' | 'amber' | 'green' | 'none';

/** Flags that make a case red whatever its date: the § 75 VwGO mark passed, a missed deadline. */
const redFlags = ['lawsuit_possible', 'document_deadline_expired', 'inquiry_overdue', 'evidence_overdue', 'escalated_to_team_lead', 'renewal_not_filed'];

/**
 * Red: the next due instant has passed, or a flag says the § 75 Satz 2 VwGO mark (or another
 * deadline) is missed. Amber: due within `amberDays` (14). Green: later. None: nothing due.
 */
export function classifyUrgency(due: string | null | undefined, flags: readonly string[], now: Date, amberDays = 14): TrafficLight {
  if (flags.some((flag) => redFlags.includes(flag))) return 'red';
  if (!due) return 'none';
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(due) ? `${due}T23:59:59+01:00` : due);
  if (Number.isNaN(at)) return 'none';
  if (at <= now.getTime()) return 'red';
  return at - now.getTime() <= amberDays * 86_400_000 ? 'amber' : 'green';
}
