// The header's search box: Enter searches the team; typing a modifier (from:, in:, on:, before:,
// after:) lists what it can take, and an empty box lists the recent searches and the modifiers.
import { useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from '../../state/store';
import { runSearch } from '../../state/search';
import { applySuggestion, modifierAt, type ModifierAt } from '../../state/searchSuggestions';
import { forgetSearch, recentSearches } from '../../state/recentSearches';
import { Icon } from '../common/Icon';
import { useModifierSuggestions } from './useModifierSuggestions';

type Option = { id: string; label: string; detail: string; choose: () => void; forget?: () => void };

const HINTS = [
  { value: 'from:', detail: 'messages from a person' },
  { value: 'in:', detail: 'messages in a channel' },
  { value: 'on:', detail: 'messages on a date' },
  { value: 'before:', detail: 'messages before a date' },
  { value: 'after:', detail: 'messages after a date' },
];

export function SearchBox({ teamId }: { teamId: string }) {
  const me = useStore((s) => s.me?.id ?? '');
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState(-1);
  const [, setRecentVersion] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const at = modifierAt(text, caret);
  const suggestions = useModifierSuggestions(teamId, at);

  function edit(next: string, nextCaret: number) {
    setText(next);
    setCaret(nextCaret);
    setSelected(-1);
    requestAnimationFrame(() => input.current?.setSelectionRange(nextCaret, nextCaret));
  }

  function search(terms: string) {
    if (!terms.trim()) return;
    runSearch(teamId, terms.trim());
    setOpen(false);
    input.current?.blur();
  }

  const suggested = (at: ModifierAt): Option[] =>
    suggestions.map((s) => ({
      id: `${at.modifier}:${s.value}`, label: s.label, detail: s.detail,
      choose: () => { const next = applySuggestion(text, at, s.value); edit(next.text, next.caret); },
    }));
  // An empty box offers what to start from: a recent search, or a modifier.
  const starters = (): Option[] => [
    ...recentSearches(me, teamId).map((terms) => ({
      id: `recent:${terms}`, label: terms, detail: 'Recent search',
      choose: () => { edit(terms, terms.length); search(terms); },
      forget: () => { forgetSearch(me, teamId, terms); setRecentVersion((v) => v + 1); },
    })),
    ...HINTS.map((h) => ({ id: `hint:${h.value}`, label: h.value, detail: h.detail, choose: () => edit(h.value, h.value.length) })),
  ];
  const options = at ? suggested(at) : text.trim() ? [] : starters();
  const listed = open && options.length > 0;

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setSelected((i) => Math.min(Math.max(i + step, -1), options.length - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (listed && options[selected]) options[selected].choose();
      else search(text);
    } else if (e.key === 'Escape') {
      if (selected >= 0) setSelected(-1);
      else setOpen(false);
    }
  }

  return (
    <div className="search-box" role="search">
      <Icon name="search" />
      <input
        ref={input}
        type="text"
        enterKeyHint="search"
        role="combobox"
        aria-label="Search messages"
        placeholder="Search"
        aria-autocomplete="list"
        aria-expanded={listed}
        aria-controls="search-options"
        aria-activedescendant={listed && options[selected] ? `search-option-${selected}` : undefined}
        value={text}
        onChange={(e) => { setText(e.target.value); setCaret(e.target.selectionStart ?? e.target.value.length); setSelected(-1); setOpen(true); }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {listed && (
        <ul id="search-options" className="search-options" role="listbox" aria-label={at ? `Suggestions for ${at.modifier}:` : 'Recent searches and modifiers'}>
          {options.map((o, i) => (
            <li key={o.id} id={`search-option-${i}`} role="option" aria-selected={i === selected} onMouseDown={(e) => { e.preventDefault(); o.choose(); }}>
              <span className="search-option-label">{o.label}</span>
              <span className="muted">{o.detail}</span>
              {o.forget && (
                <button className="icon-button" tabIndex={-1} aria-label={`Forget ${o.label}`} onMouseDown={(e) => { e.preventDefault(); e.stopPropagation(); o.forget?.(); }}>
                  <Icon name="close" size={14} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
