import { useState } from 'react';
import type { Post } from '@mattermost/types/posts';
import type { MessageAttachment } from '@mattermost/types/message_attachments';
import type { PostAction } from '@mattermost/types/integration_actions';
import { errorMessage } from '../../client';
import { doPostAction } from '../../state/interactive';
import { Markdown } from '../posts/Markdown';
import { useOptions } from './useOptions';

/** Slack's named colours, as Mattermost draws them. */
const NAMED_COLORS: Record<string, string> = { good: '#00c100', warning: '#dede01', danger: '#e40303' };
/** Button styles Mattermost knows; any other value is a colour. */
const BUTTON_STYLES = new Set(['default', 'primary', 'success', 'good', 'warning', 'danger']);

function attachmentsOf(post: Post): MessageAttachment[] {
  const attachments = (post.props as Record<string, unknown> | undefined)?.attachments;
  return Array.isArray(attachments) ? (attachments.filter((a) => a && typeof a === 'object') as MessageAttachment[]) : [];
}

/** Only web links may be followed or shown. */
const safeUrl = (url: string | undefined) => (url && /^https?:\/\//i.test(url) ? url : '');

/** A post's message attachments, Mattermost-style, with their buttons and menus. */
export function MessageAttachments({ post }: { post: Post }) {
  const attachments = attachmentsOf(post);
  if (attachments.length === 0) return null;
  return (
    <div className="attachments">
      {attachments.map((a, i) => <Attachment key={i} post={post} attachment={a} cacheKey={`${post.id}:${post.update_at}:att${i}`} />)}
    </div>
  );
}

function Attachment({ post, attachment: a, cacheKey }: { post: Post; attachment: MessageAttachment; cacheKey: string }) {
  const color = NAMED_COLORS[a.color ?? ''] ?? a.color ?? '';
  const fields = (a.fields ?? []).filter((f) => f && (f.title || f.value));
  return (
    <div className="attachment">
      {a.pretext && <div className="attachment-pretext"><Markdown text={a.pretext} cacheKey={`${cacheKey}:pre`} /></div>}
      <div className="attachment-box" style={color ? { borderLeftColor: color } : undefined}>
        {safeUrl(a.thumb_url) && <img className="attachment-thumb" src={safeUrl(a.thumb_url)} alt="" />}
        {a.author_name && (
          <div className="attachment-author">
            {safeUrl(a.author_icon) && <img src={safeUrl(a.author_icon)} alt="" width={14} height={14} />}
            {safeUrl(a.author_link) ? <a href={safeUrl(a.author_link)} target="_blank" rel="noopener noreferrer">{a.author_name}</a> : <span>{a.author_name}</span>}
          </div>
        )}
        {a.title && (
          <h4 className="attachment-title">
            {safeUrl(a.title_link) ? <a href={safeUrl(a.title_link)} target="_blank" rel="noopener noreferrer">{a.title}</a> : a.title}
          </h4>
        )}
        {a.text && <div className="attachment-text"><Markdown text={a.text} cacheKey={`${cacheKey}:text`} /></div>}
        {fields.length > 0 && (
          <div className="attachment-fields">
            {fields.map((f, i) => (
              <div key={i} className={f.short ? 'attachment-field short' : 'attachment-field'}>
                {f.title && <div className="attachment-field-title">{f.title}</div>}
                <Markdown text={String(f.value ?? '')} cacheKey={`${cacheKey}:field${i}`} />
              </div>
            ))}
          </div>
        )}
        {safeUrl(a.image_url) && <img className="attachment-image" src={safeUrl(a.image_url)} alt="" />}
        {a.footer && (
          <div className="attachment-footer muted">
            {safeUrl(a.footer_icon) && <img src={safeUrl(a.footer_icon)} alt="" width={12} height={12} />}
            {a.footer}
          </div>
        )}
        {a.actions && a.actions.length > 0 && <Actions post={post} actions={a.actions} />}
      </div>
    </div>
  );
}

function Actions({ post, actions }: { post: Post; actions: PostAction[] }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function run(action: PostAction, selected = '') {
    if (!action.id) return;
    setBusy(true);
    setError('');
    try {
      await doPostAction(post, action.id, action.cookie ?? '', selected);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="attachment-actions">
      {actions.map((action, i) =>
        action.type === 'select' ? (
          <ActionMenu key={action.id ?? i} action={action} disabled={busy || Boolean(action.disabled)} onPick={(value) => void run(action, value)} />
        ) : (
          <button
            key={action.id ?? i}
            className={`attachment-button ${BUTTON_STYLES.has(action.style ?? '') ? `btn-${action.style}` : ''}`}
            style={action.style && !BUTTON_STYLES.has(action.style) ? { color: action.style, borderColor: action.style } : undefined}
            disabled={busy || Boolean(action.disabled)}
            onClick={() => void run(action)}
          >
            {action.name}
          </button>
        ),
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}

function ActionMenu({ action, disabled, onPick }: { action: PostAction; disabled: boolean; onPick: (value: string) => void }) {
  const options = useOptions(action.data_source, action.options);
  const [value, setValue] = useState(action.default_option ?? '');
  return (
    <select
      className="attachment-menu"
      aria-label={action.name}
      value={value}
      disabled={disabled}
      onChange={(e) => {
        setValue(e.target.value);
        if (e.target.value) onPick(e.target.value);
      }}
    >
      <option value="">{action.name}</option>
      {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
    </select>
  );
}
