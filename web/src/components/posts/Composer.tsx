// The message box: Enter sends, Shift+Enter adds a line, @ and ~ suggest people and channels,
// the draft of every channel and thread is kept (in this browser, and on the server when
// AllowSyncedDrafts is on) until it is sent. Files come by the attach button, drag and drop
// (useFileDrop, on the channel and the thread) and paste. A message beginning with "/" is a
// slash command: "/" suggests commands and their arguments, and sending runs it.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { client, errorMessage } from '../../client';
import { getState, useStore } from '../../state/store';
import { draftId, saveDraft } from '../../state/drafts';
import { sendPost } from '../../state/posts';
import { Icon } from '../common/Icon';
import { sendTyping } from '../../state/realtime';
import { ScheduleButton, ScheduledBanner } from './Scheduled';
import { PriorityPicker } from './PriorityPicker';
import type { PostPriorityMetadata } from '@mattermost/types/posts';
import { AttachButton, UploadList, pastedFiles } from '../files/ComposerFiles';
import { attachFiles, isUploading, takeAttachedFiles } from '../../state/uploads';
import { ConfirmChannelWide, channelWideWarning, type ChannelWideWarning } from './ConfirmChannelWide';
import { commandSuggestions, runCommand } from '../../state/commands';
import { completion, describe, isSlashCommand, wantsSuggestions } from '../../commands/slash';

type Suggestion = { value: string; label: string; detail: string };

const draftKey = (channelId: string, rootId: string) => `utmost:draft:${channelId}:${rootId}`;
const DRAFT_SAVE_MS = 500;
const TRIGGER = /(^|\s)([@~])([a-z0-9._-]*)$/i;

export function Composer({ channelId, rootId, placeholder }: { channelId: string; rootId: string; placeholder: string }) {
  const [text, setText] = useState(
    () => localStorage.getItem(draftKey(channelId, rootId)) ?? getState().drafts[draftId(channelId, rootId)]?.message ?? '',
  );
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [selected, setSelected] = useState(0);
  const [trigger, setTrigger] = useState<{ start: number; end: number } | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [priority, setPriority] = useState<PostPriorityMetadata | null>(null);
  const priorityAllowed = useStore((s) => s.config.PostPriority === 'true') && !rootId;
  const uploads = useStore((s) => s.uploads[draftId(channelId, rootId)]);
  const uploading = Boolean(uploads?.some(isUploading));
  const hasFiles = Boolean(uploads?.some((u) => u.info));
  const sendable = (Boolean(text.trim()) || hasFiles) && !uploading;
  const [warning, setWarning] = useState<ChannelWideWarning | null>(null);
  const [commandError, setCommandError] = useState('');
  // Only the newest lookup's answer is shown.
  const lookups = useRef(0);

  useEffect(() => {
    if (text) localStorage.setItem(draftKey(channelId, rootId), text);
    else localStorage.removeItem(draftKey(channelId, rootId));
    // The server's copy follows once typing pauses.
    const timer = setTimeout(() => {
      saveDraft(channelId, rootId, text.trim()).catch((e) => console.error('saving the draft failed', errorMessage(e)));
    }, DRAFT_SAVE_MS);
    return () => clearTimeout(timer);
  }, [text, channelId, rootId]);

  // A draft saved in another browser fills an empty box.
  const serverDraft = useStore((s) => s.drafts[draftId(channelId, rootId)]?.message);
  useEffect(() => {
    if (serverDraft && !text) setText(serverDraft);
  }, [serverDraft]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [text]);

  useEffect(() => {
    if (!rootId) box.current?.focus();
  }, [channelId, rootId]);

  async function lookUp(value: string, caret: number) {
    const lookup = ++lookups.current;
    if (wantsSuggestions(value)) {
      setTrigger({ start: 0, end: value.length });
      try {
        const found = await commandSuggestions(value, channelId, rootId);
        if (lookup !== lookups.current) return;
        setSuggestions(found.slice(0, 20).map((s) => ({ value: completion(s), ...describe(s) })));
        setSelected(0);
      } catch {
        setSuggestions([]);
      }
      return;
    }
    const match = TRIGGER.exec(value.slice(0, caret));
    if (!match) {
      setSuggestions([]);
      setTrigger(null);
      return;
    }
    const [, lead, sigil, term] = match;
    const start = (match.index ?? 0) + lead.length;
    setTrigger({ start, end: caret });
    const teamId = getState().currentTeamId;
    try {
      if (sigil === '@') {
        const result = await client.autocompleteUsers(term, teamId, channelId, { limit: 8 });
        const users = [...(result.users ?? []), ...(result.out_of_channel ?? [])].slice(0, 8);
        setSuggestions(users.map((u) => ({ value: `@${u.username} `, label: `@${u.username}`, detail: [u.first_name, u.last_name].filter(Boolean).join(' ') })));
      } else {
        const channels = await client.autocompleteChannels(teamId, term);
        setSuggestions(channels.slice(0, 8).map((c) => ({ value: `~${c.name} `, label: `~${c.name}`, detail: c.display_name })));
      }
      setSelected(0);
    } catch {
      setSuggestions([]);
    }
  }

  function accept(s: Suggestion) {
    if (!trigger) return;
    const next = text.slice(0, trigger.start) + s.value + text.slice(trigger.end);
    setText(next);
    setSuggestions([]);
    setTrigger(null);
    const caret = trigger.start + s.value.length;
    requestAnimationFrame(() => box.current?.setSelectionRange(caret, caret));
    // A command's next words have suggestions of their own.
    if (wantsSuggestions(next)) void lookUp(next, caret);
  }

  async function send() {
    if (!sendable) return;
    if (isSlashCommand(text.trim()) && !hasFiles) {
      await command(text.trim());
      return;
    }
    const ask = await channelWideWarning(channelId, text.trim()).catch((e) => {
      console.error('counting who @all would tell failed', errorMessage(e));
      return null;
    });
    if (ask) setWarning(ask);
    else await deliver();
  }

  async function command(line: string) {
    setSuggestions([]);
    setCommandError('');
    setText('');
    try {
      await runCommand(line, channelId, rootId);
    } catch (e) {
      setText(line);
      setCommandError(errorMessage(e));
    }
  }

  async function deliver() {
    setWarning(null);
    const message = text.trim();
    const files = takeAttachedFiles(channelId, rootId);
    setText('');
    setSuggestions([]);
    setPriority(null);
    await sendPost(channelId, message, rootId, priority ?? undefined, files).catch(() => undefined);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setSelected((i) => (i + (e.key === 'ArrowDown' ? 1 : -1) + suggestions.length) % suggestions.length);
        return;
      }
      // Enter on a command already typed out sends it rather than completing it again.
      const complete = suggestions[selected].value.trim() === text.trim();
      if ((e.key === 'Enter' && !complete) || e.key === 'Tab') {
        e.preventDefault();
        accept(suggestions[selected]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setSuggestions([]);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  const open = suggestions.length > 0;
  return (
    <div className="composer">
      <ScheduledBanner channelId={channelId} rootId={rootId} />
      {open && (
        <ul className="suggestions" id={listId} role="listbox" aria-label="Suggestions">
          {suggestions.map((s, i) => (
            <li key={s.value} id={`${listId}-${i}`} role="option" aria-selected={i === selected} onMouseDown={(e) => { e.preventDefault(); accept(s); }}>
              <strong>{s.label}</strong> <span className="muted">{s.detail}</span>
            </li>
          ))}
        </ul>
      )}
      <UploadList channelId={channelId} rootId={rootId} />
      <textarea
        ref={box}
        className="composer-input"
        value={text}
        rows={1}
        placeholder={placeholder}
        aria-label={rootId ? 'Reply to the thread' : placeholder}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${selected}` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setCommandError('');
          if (e.target.value) sendTyping(channelId, rootId);
          void lookUp(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setSuggestions([])}
        onPaste={(e) => {
          const files = pastedFiles(e.clipboardData);
          if (files.length === 0) return;
          e.preventDefault();
          attachFiles(channelId, rootId, files);
        }}
      />
      <AttachButton channelId={channelId} rootId={rootId} />
      {priorityAllowed && <PriorityPicker value={priority} onChange={setPriority} />}
      <ScheduleButton channelId={channelId} rootId={rootId} message={text.trim()} onScheduled={() => setText('')} />
      <button className="send-button" aria-label="Send" title="Send (Enter)" disabled={!sendable} onClick={() => void send()}><Icon name="send" /></button>
      <p className="composer-hint muted" aria-hidden="true">Enter to send, Shift+Enter for a new line</p>
      {commandError && <p className="form-error composer-error" role="alert">{commandError}</p>}
      {warning && <ConfirmChannelWide warning={warning} onConfirm={() => void deliver()} onCancel={() => setWarning(null)} />}
    </div>
  );
}
