// The rollout checklist's pure logic: the order the page shows `GET /system/doctor`'s
// findings in.
export type Verdict = 'pass' | 'warn' | 'fail';
export type Finding = { code: string; check: string; verdict: Verdict; detail: string; fix: string };

const ORDER: Record<Verdict, number> = { fail: 0, warn: 1, pass: 2 };

/** The findings worst first, in the server's order within a verdict. */
export function worstFirst(findings: Finding[]): Finding[] {
  return findings.map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => ORDER[a.verdict] - ORDER[b.verdict] || i - j)
    .map(([f]) => f);
}
