import { useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../client';
import { cancelDialog, submitDialog } from '../../state/interactive';
import { Dialog, closeModal } from '../modals/Dialog';
import { Markdown } from '../posts/Markdown';
import { formErrors, initialValues, type DialogElement, type DialogValue, type OpenDialogRequest } from '../../interactive/dialogForm';
import { useOptions } from './useOptions';

const TEXT_SUBTYPES = new Set(['text', 'email', 'number', 'tel', 'url', 'password']);

/** An integration's dialog (`open_dialog`): checked here first, then by the integration. */
export function InteractiveDialog({ request }: { request: OpenDialogRequest }) {
  const { dialog } = request;
  const elements = dialog.elements ?? [];
  const [values, setValues] = useState(() => initialValues(elements));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // Closing the native <dialog> fires its close event too: only the first ending counts.
  const ended = useRef(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = formErrors(elements, values);
    setErrors(local);
    setError('');
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const answer = await submitDialog(request, values);
      if (answer.error || Object.keys(answer.errors).length > 0) {
        setError(answer.error);
        setErrors(answer.errors);
        setBusy(false);
        return;
      }
      ended.current = true;
      closeModal();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  function cancel() {
    if (ended.current) return;
    ended.current = true;
    closeModal();
    cancelDialog(request).catch((err) => console.error('dialog cancel not sent', err));
  }

  const set = (name: string, value: DialogValue) => setValues((v) => ({ ...v, [name]: value }));
  return (
    <Dialog title={dialog.title} className="interactive-dialog" onClose={cancel}>
      <form onSubmit={submit} noValidate>
        {dialog.icon_url && /^https?:\/\//i.test(dialog.icon_url) && <img className="dialog-icon" src={dialog.icon_url} alt="" width={32} height={32} />}
        {dialog.introduction_text && <Markdown text={dialog.introduction_text} cacheKey={`dialog:${request.trigger_id}:intro`} />}
        {elements.map((element) => (
          <Field key={element.name} element={element} value={values[element.name]} error={errors[element.name] ?? ''} onChange={(v) => set(element.name, v)} />
        ))}
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="row-actions">
          <button type="submit" className="primary" disabled={busy}>{dialog.submit_label || 'Submit'}</button>
          <button type="button" onClick={cancel}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}

function Field({ element: e, value, error, onChange }: { element: DialogElement; value: DialogValue | undefined; error: string; onChange: (v: DialogValue) => void }) {
  const id = `dialog-field-${e.name}`;
  const text = typeof value === 'string' ? value : '';
  const label = `${e.display_name}${e.optional ? ' (optional)' : ' *'}`;
  const described = e.help_text || error ? `${id}-help` : undefined;
  let control;
  if (e.type === 'textarea') {
    control = <textarea id={id} value={text} placeholder={e.placeholder} maxLength={e.max_length || undefined} aria-invalid={Boolean(error)} aria-describedby={described} onChange={(ev) => onChange(ev.target.value)} rows={4} />;
  } else if (e.type === 'select') {
    control = <SelectField id={id} element={e} value={text} invalid={Boolean(error)} described={described} onChange={onChange} />;
  } else if (e.type === 'bool') {
    return (
      <div className="dialog-field">
        <label><input id={id} type="checkbox" checked={value === true} onChange={(ev) => onChange(ev.target.checked)} /> {e.display_name}{e.placeholder ? `: ${e.placeholder}` : ''}</label>
        <Help id={`${id}-help`} help={e.help_text} error={error} />
      </div>
    );
  } else if (e.type === 'radio') {
    return (
      <fieldset className="dialog-field radio-group" aria-describedby={described}>
        <legend>{label}</legend>
        {(e.options ?? []).map((o) => (
          <label key={o.value}><input type="radio" name={id} checked={text === o.value} onChange={() => onChange(o.value)} /> {o.text}</label>
        ))}
        <Help id={`${id}-help`} help={e.help_text} error={error} />
      </fieldset>
    );
  } else {
    const type = TEXT_SUBTYPES.has(e.subtype ?? '') ? e.subtype : 'text';
    control = <input id={id} type={type} value={text} placeholder={e.placeholder} maxLength={e.max_length || undefined} aria-invalid={Boolean(error)} aria-describedby={described} onChange={(ev) => onChange(ev.target.value)} />;
  }
  return (
    <div className="dialog-field">
      <label htmlFor={id}>{label}</label>
      {control}
      <Help id={`${id}-help`} help={e.help_text} error={error} />
    </div>
  );
}

function SelectField({ id, element, value, invalid, described, onChange }: { id: string; element: DialogElement; value: string; invalid: boolean; described?: string; onChange: (v: string) => void }) {
  const options = useOptions(element.data_source, element.options);
  return (
    <select id={id} value={value} aria-invalid={invalid} aria-describedby={described} onChange={(ev) => onChange(ev.target.value)}>
      <option value="">{element.placeholder || 'Select an option'}</option>
      {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
    </select>
  );
}

function Help({ id, help, error }: { id: string; help?: string; error: string }) {
  if (!help && !error) return null;
  return (
    <p id={id} className={error ? 'form-error' : 'muted'} role={error ? 'alert' : undefined}>
      {error || help}
    </p>
  );
}
