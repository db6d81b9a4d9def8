// The pure half of the console's config sections: reading and writing a setting by its
// dotted path (`TeamSettings.SiteName`), the minimal patch for `PUT /config/patch`, and the
// settings `MM_*` variables lock (`GET /config/environment`). No imports: unit-tested alone.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One setting in a section's form. */
export type Field = {
  /** `Section.Key`, as in config.json. */
  key: string;
  label: string;
  kind: 'text' | 'number' | 'bool' | 'textarea' | 'password' | 'select' | 'color';
  options?: [value: string, label: string][];
  help?: string;
};

/** The value at a dotted path, or undefined. */
export function getAt(obj: unknown, path: string): Json | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur as Json | undefined;
}

/** A copy of `obj` with `value` at the dotted path (objects on the way are copied, not shared). */
export function setAt(obj: JsonObject, path: string, value: Json): JsonObject {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return { ...obj, [head]: value };
  const child = obj[head];
  const inner = child !== null && typeof child === 'object' && !Array.isArray(child) ? child : {};
  return { ...obj, [head]: setAt(inner, rest.join('.'), value) };
}

/** Whether an `MM_*` variable sets this key (the environment tree has `true` at such keys). */
export function isLocked(environment: unknown, path: string): boolean {
  return getAt(environment, path) === true;
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The patch that turns `saved` into `edited` for the given keys: only the changed settings,
 * nested by section, leaving out the locked ones (the server would keep the variable's value).
 * Empty when nothing changed.
 */
export function buildPatch(saved: unknown, edited: unknown, keys: string[], environment: unknown = {}): JsonObject {
  let patch: JsonObject = {};
  for (const key of keys) {
    if (isLocked(environment, key)) continue;
    const after = getAt(edited, key);
    if (after === undefined || same(getAt(saved, key), after)) continue;
    patch = setAt(patch, key, after);
  }
  return patch;
}

/** Every dotted key a patch sets (to list what a save changes). */
export function patchKeys(patch: unknown, prefix = ''): string[] {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return prefix ? [prefix] : [];
  return Object.entries(patch as Record<string, unknown>).flatMap(([k, v]) => patchKeys(v, prefix ? `${prefix}.${k}` : k));
}

/** What an input's text becomes in the config: numbers stay numbers, booleans booleans. */
export function fromInput(kind: Field['kind'], raw: string | boolean): Json {
  if (kind === 'bool') return raw === true || raw === 'true';
  if (kind === 'number') {
    const n = Number(raw);
    return raw === '' || Number.isNaN(n) ? String(raw) : n;
  }
  return String(raw);
}

/** A server error in Mattermost's shape ({id, message, status_code}) as one line for the form. */
export function describeError(error: unknown): string {
  if (!error || typeof error !== 'object') return 'Something went wrong. Please try again.';
  const e = error as { message?: unknown; server_error_id?: unknown; id?: unknown; status_code?: unknown };
  const message = typeof e.message === 'string' && e.message ? e.message : 'Something went wrong. Please try again.';
  const id = typeof e.server_error_id === 'string' && e.server_error_id ? e.server_error_id : typeof e.id === 'string' ? e.id : '';
  const status = typeof e.status_code === 'number' && e.status_code ? ` ${e.status_code}` : '';
  return id ? `${message} (${id}${status})` : message;
}
