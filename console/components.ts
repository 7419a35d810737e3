import { formatApplicantDate } from '../domain/naturalisation/applicantStatus';
import { html, type Html, type Renderable } from './html';
import type { PageContext } from './request';
import type { TrafficLight } from './trafficLight';

/** Validation messages by form field name; `''` holds those that belong to no field. */
export type FieldErrors = Record<string, string[]>;

export interface FormState {
  /** The form (action name) the errors and values belong to. */
  form?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** Filled by `field` as the form's fields render: the summary names each field by its label. */
  labels?: Record<string, string>;
}

interface FieldOptions {
  /** Unique within the page: the form's name and the field's (ids must not repeat). */
  form: string;
  name: string;
  label: string;
  type?: 'text' | 'date' | 'datetime-local' | 'number' | 'textarea' | 'select' | 'password' | 'file';
  value?: string;
  required?: boolean;
  hint?: string;
  options?: Array<{ value: string; label: string }>;
  state?: FormState;
  attributes?: Html;
}

/**
 * A labelled form field. Its hint and its validation messages sit right below it and are tied to
 * it by `aria-describedby`; a field with a message is `aria-invalid`.
 */
export function field(options: FieldOptions): Html {
  const id = `${options.form}-${options.name}`;
  const own = options.state?.form === options.form;
  const errors = own ? options.state?.errors?.[options.name] ?? [] : [];
  const value = own && options.state?.values?.[options.name] !== undefined ? options.state.values[options.name] : options.value ?? '';
  if (own && options.state) (options.state.labels ??= {})[options.name] = options.label;
  const hintId = options.hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${options.name}" ${options.required ? html`required` : ''} ${describedBy ? html`aria-describedby="${describedBy}"` : ''} ${errors.length > 0 ? html`aria-invalid="true"` : ''} ${options.attributes ?? ''}`;
  let control: Html;
  if (options.type === 'textarea') control = html`<textarea ${common} rows="3">${value}</textarea>`;
  else if (options.type === 'select') {
    control = html`<select ${common}>${(options.options ?? []).map(
      (option) => html`<option value="${option.value}" ${option.value === value ? html`selected` : ''}>${option.label}</option>`,
    )}</select>`;
  } else control = html`<input type="${options.type ?? 'text'}" ${common} value="${options.type === 'file' || options.type === 'password' ? '' : value}">`;
  return html`<div class="field${errors.length > 0 ? ' has-error' : ''}">
    <label for="${id}">${options.label}${options.required ? html`<span aria-hidden="true"> *</span>` : ''}</label>
    ${options.hint ? html`<p class="hint" id="${hintId}">${options.hint}</p>` : ''}
    ${control}
    ${errors.length > 0 ? html`<p class="error" id="${errorId}">${errors.join(' ')}</p>` : ''}
  </div>`;
}

/** A POST form of the console: every one carries the session's CSRF token. */
export function postForm(page: PageContext, action: string, content: Renderable, options: { label?: string; multipart?: boolean } = {}): Html {
  return html`<form method="post" action="${action}" class="stack" ${options.label ? html`aria-label="${options.label}"` : ''} ${options.multipart ? html`enctype="multipart/form-data"` : ''} novalidate>
    <input type="hidden" name="_csrf" value="${page.csrf ?? ''}">
    ${content}
  </form>`;
}

/**
 * One action of a case page as a card: its heading (ids `h-action-<name>`, apart from the page's
 * own sections such as `h-documents`, so no two regions share a name), the messages of its last
 * failed attempt, and its form.
 */
export function actionCard(page: PageContext, state: FormState | undefined, name: string, title: string, content: Html): Html {
  return html`<section class="card" aria-labelledby="h-action-${name}"><h3 id="h-action-${name}">${title}</h3>${errorSummary(page, state, name)}${content}</section>`;
}

/**
 * The messages of a failed action above its form, announced to screen readers, each field's
 * linked to it and named by its label (render the fields first: they record their labels).
 */
export function errorSummary(page: PageContext, state: FormState | undefined, form: string): Html {
  if (state?.form !== form || !state.errors) return html``;
  const general = state.errors[''] ?? [];
  const fields = Object.entries(state.errors).filter(([name]) => name !== '');
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <p><strong>${fields.length > 0 ? page.t('error.summary') : page.t('error.title')}</strong></p>
    ${general.length > 0 ? html`<ul>${general.map((message) => html`<li>${message}</li>`)}</ul>` : ''}
    ${fields.length > 0 ? html`<ul>${fields.map(([name, messages]) => html`<li><a href="#${form}-${name}">${state.labels?.[name] ? `${state.labels[name]}: ` : ''}${messages.join(' ')}</a></li>`)}</ul>` : ''}
  </div>`;
}

/** A traffic light that does not rely on colour: a shape and a word beside the colour. */
export function trafficLightBadge(page: PageContext, light: TrafficLight): Html {
  const shape = { red: '■', amber: '▲', green: '●', none: '○' }[light];
  const text = light === 'none' ? page.t('light.none') : `${page.t(`light.${light}`)}: ${page.t(`light.${light}.text`)}`;
  return html`<span class="light light-${light}"><span class="light-shape" aria-hidden="true">${shape}</span> ${text}</span>`;
}

/** A date or instant in the page's language, German time. */
export function formatDate(page: PageContext, value: string | null | undefined, withTime = false): string {
  if (!value) return '—';
  return formatApplicantDate(page.lang, value, { withTime, dateStyle: 'medium' });
}

/** A description list of label/value pairs. */
export function facts(rows: Array<[string, Renderable]>): Html {
  return html`<dl class="facts">${rows.map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}
