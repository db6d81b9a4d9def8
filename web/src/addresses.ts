// Email addresses as people type them into one box. Pure, so web/tests can load it alone.

/** Addresses separated by commas, semicolons, spaces or new lines; blanks dropped. */
export function addresses(typed: string): string[] {
  return typed.split(/[\s,;]+/).map((a) => a.trim()).filter(Boolean);
}
