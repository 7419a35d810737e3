import { naturalisationDocumentTypes } from '../../domain/naturalisation/completeness';
import { actionCard, field, postForm, type FormState } from '../components';
import { integerValue, localDateTimeValue, textValue } from '../forms';
import { html, type Html } from '../html';
import type { PageContext } from '../request';

type Body = Record<string, unknown>;
type View = Record<string, any>;

/**
 * A clerk action of the naturalisation case page: the API route it calls (relative to the
 * application), its form fields (named as the API's body fields, so the API's messages land next
 * to them), how the form becomes the API's body, and its form.
 */
export interface NaturalisationAction {
  name: string;
  apiPath: string;
  fields: readonly string[];
  toBody: (form: Body, view: View) => Record<string, unknown>;
  render: (page: PageContext, view: View, state: FormState | undefined, today: string) => Html;
}

const versioned = (view: View) => ({ expectedVersion: view.version });
/** The action's form, carrying the version of the case the clerk saw (the workflow refuses a stale one). */
const versionedForm = (page: PageContext, view: View, name: string, content: Html) =>
  postForm(page, `/console/naturalisation/${view.id}/actions/${name}`, html`<input type="hidden" name="_version" value="${view.version}">${content}`);
const section = (title: string, content: Html, page: PageContext, state: FormState | undefined, name: string) => actionCard(page, state, name, title, content);

export const naturalisationActions: NaturalisationAction[] = [
  {
    name: 'completeness-check',
    apiPath: 'completeness-check',
    fields: ['checklist'],
    toBody: (form, view) => ({
      checklist: naturalisationDocumentTypes.map((type) => ({ type, status: form[`doc_${type}`] === 'missing' ? 'missing' : 'present' })),
      ...versioned(view),
    }),
    render: (page, view, state) =>
      section(page.t('checklist.title'), versionedForm(page, view, 'completeness-check', html`
        <fieldset class="checklist"><legend>${page.t('checklist.title')}</legend>
        ${naturalisationDocumentTypes.map((type) => field({
          form: 'completeness-check', name: `doc_${type}`, label: page.t(`doc.${type}`), type: 'select', state, value: 'present',
          options: [{ value: 'present', label: page.t('checklist.present') }, { value: 'missing', label: page.t('checklist.missing') }],
        }))}
        </fieldset>
        <button type="submit">${page.t('checklist.submit')}</button>`), page, state, 'completeness-check'),
  },
  {
    name: 'documents',
    apiPath: 'documents',
    fields: ['received'],
    toBody: (form, view) => ({
      received: [form.received].flat().filter((type): type is string => typeof type === 'string').map((type) => ({ type, status: 'present' })),
      ...versioned(view),
    }),
    render: (page, view, state) => {
      const missing: string[] = [...(view.details.documentRequest?.missing ?? []), ...(view.details.documentRequest?.outdated ?? [])];
      return section(page.t('documents.title'), versionedForm(page, view, 'documents', html`
        <fieldset><legend>${page.t('documents.title')}</legend>
          ${missing.map((type) => html`<div class="choice"><input type="checkbox" id="documents-${type}" name="received" value="${type}"><label for="documents-${type}">${page.t(`doc.${type}`)}</label></div>`)}
        </fieldset>
        ${state?.form === 'documents' && state.errors?.received ? html`<p class="error" id="documents-received-error">${state.errors.received.join(' ')}</p>` : ''}
        <button type="submit">${page.t('documents.submit')}</button>`), page, state, 'documents');
    },
  },
  {
    name: 'document-deadline',
    apiPath: 'document-deadline',
    fields: ['dueOn'],
    toBody: (form, view) => ({ dueOn: textValue(form, 'dueOn'), ...versioned(view) }),
    render: (page, view, state) =>
      section(page.t('deadline.title'), versionedForm(page, view, 'document-deadline', html`
        ${field({ form: 'document-deadline', name: 'dueOn', label: page.t('deadline.dueOn'), type: 'date', required: true, state })}
        <button type="submit">${page.t('deadline.submit')}</button>`), page, state, 'document-deadline'),
  },
  {
    name: 'inquiry-answers',
    apiPath: 'inquiry-answers',
    fields: ['inquiry', 'result', 'answeredOn', 'note'],
    toBody: (form, view) => ({
      inquiry: textValue(form, 'inquiry'), result: textValue(form, 'result'), answeredOn: textValue(form, 'answeredOn'), note: textValue(form, 'note'), ...versioned(view),
    }),
    render: (page, view, state, today) => {
      const open = (view.details.inquiries ?? []).filter((inquiry: any) => !inquiry.answeredOn).map((inquiry: any) => inquiry.kind as string);
      return section(page.t('inquiry.title'), versionedForm(page, view, 'inquiry-answers', html`
        ${field({ form: 'inquiry-answers', name: 'inquiry', label: page.t('inquiry.kind'), type: 'select', required: true, state, options: open.map((kind: string) => ({ value: kind, label: page.t(`inquiry.${kind}`) })) })}
        ${field({ form: 'inquiry-answers', name: 'result', label: page.t('inquiry.result'), type: 'select', required: true, state, options: ['no_findings', 'findings'].map((value) => ({ value, label: page.t(`inquiry.${value}`) })) })}
        ${field({ form: 'inquiry-answers', name: 'answeredOn', label: page.t('inquiry.answeredOn'), type: 'date', required: true, value: today, state })}
        ${field({ form: 'inquiry-answers', name: 'note', label: page.t('inquiry.note'), type: 'textarea', state })}
        <button type="submit">${page.t('inquiry.submit')}</button>`), page, state, 'inquiry-answers');
    },
  },
  {
    name: 'decision',
    apiPath: 'decision',
    fields: ['outcome', 'reason', 'minorChildren', 'refusalFeeEuro'],
    toBody: (form, view) => ({
      outcome: textValue(form, 'outcome'), reason: textValue(form, 'reason') ?? '', minorChildren: integerValue(form, 'minorChildren'), refusalFeeEuro: integerValue(form, 'refusalFeeEuro'), ...versioned(view),
    }),
    render: (page, view, state) =>
      section(page.t('decision.title'), html`<p>${page.t('decision.fourEyes')}</p>${versionedForm(page, view, 'decision', html`
        ${field({ form: 'decision', name: 'outcome', label: page.t('decision.outcome'), type: 'select', required: true, state, options: ['approved', 'refused', 'withdrawn'].map((value) => ({ value, label: page.t(`decision.${value}`) })) })}
        ${field({ form: 'decision', name: 'reason', label: page.t('decision.reason'), type: 'textarea', required: true, state })}
        ${field({ form: 'decision', name: 'minorChildren', label: page.t('decision.minorChildren'), type: 'number', state, attributes: html`min="0" max="20" inputmode="numeric"` })}
        ${field({ form: 'decision', name: 'refusalFeeEuro', label: page.t('decision.refusalFeeEuro'), type: 'number', state, attributes: html`min="0" inputmode="numeric"` })}
        <button type="submit">${page.t('decision.submit')}</button>`)}`, page, state, 'decision'),
  },
  {
    name: 'confirmation',
    apiPath: 'decision/confirmation',
    fields: [],
    // The proposal the clerk saw, named by the id the form was rendered with: one proposed since is not confirmed in its place.
    toBody: (form, view) => ({ ...versioned(view), proposalId: typeof form.proposalId === 'string' ? form.proposalId : '' }),
    render: (page, view, state) => {
      const proposal = view.details.decisionProposal;
      return section(page.t('proposal.title'), html`
        <p>${page.t('proposal.by', { outcome: page.t(`decision.${proposal.outcome}`), by: proposal.proposedBy, at: proposal.proposedAt.slice(0, 10) })}</p>
        <blockquote>${proposal.reason}</blockquote>
        ${versionedForm(page, view, 'confirmation', html`<input type="hidden" name="proposalId" value="${proposal.id}"><button type="submit">${page.t('proposal.confirm')}</button>`)}`, page, state, 'confirmation');
    },
  },
  {
    name: 'appointment',
    apiPath: 'appointment',
    fields: ['at', 'place'],
    toBody: (form, view) => ({ at: localDateTimeValue(form, 'at'), place: textValue(form, 'place'), ...versioned(view) }),
    render: (page, view, state) =>
      section(page.t('appointment.title'), versionedForm(page, view, 'appointment', html`
        ${field({ form: 'appointment', name: 'at', label: page.t('appointment.at'), type: 'datetime-local', required: true, state })}
        ${field({ form: 'appointment', name: 'place', label: page.t('appointment.place'), required: true, state })}
        <button type="submit">${page.t('appointment.submit')}</button>`), page, state, 'appointment'),
  },
  {
    name: 'handover',
    apiPath: 'handover',
    fields: ['handedOverOn'],
    toBody: (form, view) => ({ handedOverOn: textValue(form, 'handedOverOn'), ...versioned(view) }),
    render: (page, view, state, today) =>
      section(page.t('handover.title'), versionedForm(page, view, 'handover', html`
        ${field({ form: 'handover', name: 'handedOverOn', label: page.t('handover.on'), type: 'date', required: true, value: today, state })}
        <button type="submit">${page.t('handover.submit')}</button>`), page, state, 'handover'),
  },
  {
    name: 'suspension',
    apiPath: 'suspension',
    fields: ['reason'],
    toBody: (form, view) => ({ reason: textValue(form, 'reason') ?? '', ...versioned(view) }),
    render: (page, view, state) =>
      section(page.t('suspend.title'), versionedForm(page, view, 'suspension', html`
        ${field({ form: 'suspension', name: 'reason', label: page.t('suspend.reason'), type: 'textarea', required: true, state })}
        <button type="submit" class="secondary">${page.t('suspend.submit')}</button>`), page, state, 'suspension'),
  },
  {
    name: 'resumption',
    apiPath: 'resumption',
    fields: [],
    toBody: (_form, view) => versioned(view),
    render: (page, view, state) =>
      section(page.t('resume.submit'), versionedForm(page, view, 'resumption', html`<button type="submit">${page.t('resume.submit')}</button>`), page, state, 'resumption'),
  },
  {
    name: 'assignment',
    apiPath: 'assignment',
    fields: ['assignee'],
    toBody: (form, view) => ({ assignee: textValue(form, 'assignee') ?? null, ...versioned(view) }),
    render: (page, view, state) =>
      section(page.t('assign.title'), versionedForm(page, view, 'assignment', html`
        ${field({ form: 'assignment', name: 'assignee', label: page.t('assign.assignee'), hint: page.t('assign.hint'), value: view.assignee ?? '', state })}
        <button type="submit" class="secondary">${page.t('assign.submit')}</button>`), page, state, 'assignment'),
  },
  {
    name: 'access-code',
    apiPath: 'access-code',
    fields: [],
    toBody: (_form, view) => versioned(view),
    render: (page, view, state) =>
      section(page.t('accessCode.title'), html`<p>${page.t('accessCode.text')}</p>${versionedForm(page, view, 'access-code', html`<button type="submit" class="secondary">${page.t('accessCode.submit')}</button>`)}`, page, state, 'access-code'),
  },
];

/** The actions the case's stage offers (the workflow refuses anything else anyway). */
export function listOfferedActions(view: View): string[] {
  if (view.suspended) return ['resumption'];
  const offered: Record<string, string[]> = {
    completeness_check: ['completeness-check'],
    waiting_for_documents: ['documents', 'document-deadline'],
    inquiries: ['inquiry-answers'],
    decision: view.details.decisionProposal ? ['confirmation'] : ['decision'],
    certificate: view.details.appointment ? ['handover'] : ['appointment'],
  };
  const list = offered[view.stage] ?? [];
  const open = !['closed', 'registering', 'received', 'decided'].includes(view.stage);
  return [...list, ...(open && view.stage !== 'certificate' ? ['suspension'] : []), ...(open ? ['assignment', 'access-code'] : [])];
}
