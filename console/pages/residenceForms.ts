import { evidenceKinds, grantableTitles } from '../../domain/residence/checkProcedure';
import { actionCard, field, postForm, type FormState } from '../components';
import { textValue } from '../forms';
import { html, type Html } from '../html';
import type { PageContext } from '../request';

type Body = Record<string, unknown>;
type View = Record<string, any>;

/** A clerk action of the residence check page; as naturalisationForms.ts. */
export interface ResidenceAction {
  name: string;
  fields: readonly string[];
  toBody: (form: Body, view: View) => Record<string, unknown>;
  render: (page: PageContext, view: View, state: FormState | undefined, today: string) => Html;
}

const findingNames = [
  'passportHeld', 'identityClarified', 'declaredCommitmentToBasicOrder', 'indicationsAgainstDemocraticOrder', 'ownDeceptionAboutIdentity', 'nonCooperation', 'seriousExpulsionInterest',
] as const;
const versionedForm = (page: PageContext, view: View, name: string, content: Html) =>
  postForm(page, `/console/residence/${view.id}/actions/${name}`, html`<input type="hidden" name="_version" value="${view.version}">${content}`);
const section = actionCard;
const versioned = (view: View) => ({ expectedVersion: view.version });

export const residenceActions: ResidenceAction[] = [
  {
    name: 'evidence',
    fields: ['received', 'findings'],
    toBody: (form, view) => {
      const findings = Object.fromEntries(findingNames.map((name) => [name, textValue(form, `finding_${name}`)]).filter(([, value]) => value !== undefined && value !== 'unknown'));
      return {
        received: [form.received ?? []].flat().filter((kind): kind is string => typeof kind === 'string'),
        ...(Object.keys(findings).length > 0 ? { findings } : {}),
        ...versioned(view),
      };
    },
    render: (page, view, state) => {
      const needed: string[] = view.evaluation?.evidenceNeeded ?? [];
      const received: string[] = view.details?.evidence?.received ?? [];
      return section(page, state, 'evidence', page.t('evidence.title'), versionedForm(page, view, 'evidence', html`
        <fieldset><legend>${page.t('evidence.received')}</legend>
          ${evidenceKinds.map((kind) => html`<div class="choice"><input type="checkbox" id="evidence-${kind}" name="received" value="${kind}" ${received.includes(kind) || needed.includes(kind) ? html`checked` : ''}><label for="evidence-${kind}">${page.t(`evidence.${kind}`)}</label></div>`)}
        </fieldset>
        <fieldset><legend>${page.t('evidence.findings')}</legend>
          ${findingNames.map((name) => field({
            form: 'evidence', name: `finding_${name}`, label: page.t(`finding.${name}`), type: 'select', state, value: view.details?.findings?.[name] ?? 'unknown',
            options: ['unknown', 'yes', 'no'].map((value) => ({ value, label: page.t(`tri.${value}`) })),
          }))}
        </fieldset>
        <button type="submit">${page.t('evidence.submit')}</button>`));
    },
  },
  {
    name: 'decision',
    fields: ['outcome', 'title', 'reason', 'reviewOn'],
    toBody: (form, view) => ({
      outcome: textValue(form, 'outcome'), title: textValue(form, 'title'), reason: textValue(form, 'reason') ?? '', reviewOn: textValue(form, 'reviewOn'), ...versioned(view),
    }),
    render: (page, view, state) =>
      section(page, state, 'decision', page.t('rdecision.title'), versionedForm(page, view, 'decision', html`
        ${field({ form: 'decision', name: 'outcome', label: page.t('rdecision.outcome'), type: 'select', required: true, state, options: ['grant', 'refuse', 'not_yet'].map((value) => ({ value, label: page.t(`rdecision.${value}`) })) })}
        ${field({ form: 'decision', name: 'title', label: page.t('rdecision.titleField'), type: 'select', state, options: [{ value: '', label: page.t('rdecision.noTitle') }, ...grantableTitles.map((title) => ({ value: title, label: title }))] })}
        ${field({ form: 'decision', name: 'reason', label: page.t('rdecision.reason'), type: 'textarea', required: true, state })}
        ${field({ form: 'decision', name: 'reviewOn', label: page.t('rdecision.reviewOn'), type: 'date', state })}
        <button type="submit">${page.t('rdecision.submit')}</button>`)),
  },
  {
    name: 'handoff-proposal/confirm',
    fields: [],
    toBody: (_form, view) => versioned(view),
    render: (page, view, state) =>
      section(page, state, 'handoff-proposal/confirm', page.t('handoffProposal.title'), html`
        <p>${page.t('handoffProposal.text', { needs: (view.details.handoffProposal?.needs ?? []).join(', ') })}</p>
        ${versionedForm(page, view, 'handoff-proposal/confirm', html`<button type="submit">${page.t('handoffProposal.confirm')}</button>`)}`),
  },
  {
    name: 'renewal-filed',
    fields: ['filedOn'],
    toBody: (form, view) => ({ filedOn: textValue(form, 'filedOn'), ...versioned(view) }),
    render: (page, view, state, today) =>
      section(page, state, 'renewal-filed', page.t('renewal.title'), versionedForm(page, view, 'renewal-filed', html`
        ${field({ form: 'renewal-filed', name: 'filedOn', label: page.t('renewal.filedOn'), type: 'date', required: true, value: today, state })}
        <button type="submit">${page.t('renewal.submit')}</button>`)),
  },
  {
    name: 'closure',
    fields: ['result', 'note'],
    toBody: (form, view) => ({ result: textValue(form, 'result'), note: textValue(form, 'note') ?? '', ...versioned(view) }),
    render: (page, view, state) =>
      section(page, state, 'closure', page.t('closure.title'), versionedForm(page, view, 'closure', html`
        ${field({ form: 'closure', name: 'result', label: page.t('closure.result'), type: 'select', required: true, state, options: ['renewed', 'refused', 'other_title', 'left', 'withdrawn'].map((value) => ({ value, label: page.t(`closure.${value}`) })) })}
        ${field({ form: 'closure', name: 'note', label: page.t('closure.note'), type: 'textarea', required: true, state })}
        <button type="submit" class="secondary">${page.t('closure.submit')}</button>`)),
  },
];

/** The actions the check's kind and stage offer. */
export function listOfferedResidenceActions(view: View): string[] {
  if (view.kind === 'permit_expiry') return view.stage === 'completed' ? [] : ['renewal-filed', 'closure'];
  const offered: string[] = [];
  if (view.stage === 'awaiting_evidence') offered.push('evidence', 'decision');
  if (view.stage === 'decision' || view.stage === 'not_yet') offered.push('decision');
  if (view.details?.handoffProposal?.status === 'proposed') offered.push('handoff-proposal/confirm');
  return offered;
}
