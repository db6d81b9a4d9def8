// An interactive dialog's form, as Mattermost's web app handles it (interactive_dialog): the
// values it starts with, the checks made before a submission goes to the server, and the
// submission itself. Pure, so web/tests can table it.

export type DialogOption = { text: string; value: string };

export type DialogElement = {
  display_name: string;
  name: string;
  type: 'text' | 'textarea' | 'select' | 'bool' | 'radio' | string;
  subtype?: string;
  default?: string;
  placeholder?: string;
  help_text?: string;
  optional?: boolean;
  min_length?: number;
  max_length?: number;
  data_source?: string;
  options?: DialogOption[] | null;
};

export type Dialog = {
  callback_id: string;
  title: string;
  introduction_text?: string;
  icon_url?: string;
  elements?: DialogElement[] | null;
  submit_label?: string;
  notify_on_cancel?: boolean;
  state?: string;
};

/** The `dialog` of an `open_dialog` event (a JSON string in the event's data). */
export type OpenDialogRequest = { trigger_id: string; url: string; dialog: Dialog };

export type DialogValue = string | boolean;
export type DialogValues = Record<string, DialogValue>;

/** Each element's starting value: its default (a bool's "true"), else empty. */
export function initialValues(elements: DialogElement[]): DialogValues {
  const values: DialogValues = {};
  for (const e of elements) {
    values[e.name] = e.type === 'bool' ? String(e.default ?? '').toLowerCase() === 'true' : (e.default ?? '');
  }
  return values;
}

/** Mattermost's `checkDialogElementForError`: why this value may not be submitted, or ''. */
export function elementError(e: DialogElement, value: DialogValue | undefined): string {
  if (!value && !e.optional) return 'This field is required.';
  if (e.type === 'text' || e.type === 'textarea') {
    const text = typeof value === 'string' ? value : '';
    if (text && e.min_length && text.length < e.min_length) return `Minimum input length is ${e.min_length}.`;
    if (text && e.max_length && text.length > e.max_length) return `Maximum input length is ${e.max_length}.`;
    if (text && e.subtype === 'email' && !text.includes('@')) return 'Must be a valid email address.';
    if (text && e.subtype === 'number' && Number.isNaN(Number(text))) return 'Must be a number.';
    if (text && e.subtype === 'url' && !text.includes('http://') && !text.includes('https://')) {
      return 'URL must include http:// or https://.';
    }
  }
  if (e.type === 'radio' && value && !(e.options ?? []).some((o) => o.value === value)) return 'Must be a valid option.';
  return '';
}

/** Every element's error, by name; empty when the form may be submitted. */
export function formErrors(elements: DialogElement[], values: DialogValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const e of elements) {
    const error = elementError(e, values[e.name]);
    if (error) errors[e.name] = error;
  }
  return errors;
}

/** What the integration receives: numbers for number fields, nothing for empty optional ones. */
export function submission(elements: DialogElement[], values: DialogValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of elements) {
    const value = values[e.name];
    if (e.type === 'bool') out[e.name] = value === true;
    else if (value === '' || value === undefined) continue;
    else if (e.subtype === 'number') out[e.name] = Number(value);
    else out[e.name] = value;
  }
  return out;
}
