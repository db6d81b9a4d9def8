// Reporting → Rollout checklist (/admin_console/reporting/rollout_checklist): `GET
// /system/doctor`, the checks `utmost doctor` runs (settings and the services they name),
// worst first, with the fix for each warning and failure. Utmost's own page: Mattermost
// leaves the checklist to a document.
import { client } from '../../client';
import { type Finding, worstFirst } from './doctor';
import { useLoad } from './useLoad';

const LABEL = { fail: 'Fail', warn: 'Warning', pass: 'Pass' };

/** `GET /system/doctor` with the session cookie; a refusal throws Mattermost's error body. */
async function loadReport(): Promise<Finding[]> {
  const res = await fetch(`${client.getBaseRoute()}/system/doctor`, {
    credentials: 'include',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const body = await res.json();
  if (!res.ok) throw body;
  return (body as { findings: Finding[] }).findings;
}

export default function Doctor() {
  const { data, error, reload } = useLoad(loadReport);
  const findings = worstFirst(data ?? []);
  const count = (v: Finding['verdict']) => findings.filter((f) => f.verdict === v).length;
  return (
    <section aria-labelledby="doctor-title" className="console-section">
      <h2 id="doctor-title">Rollout checklist</h2>
      <p>What <code>utmost doctor</code> checks before go-live, run now against this server.</p>
      <div className="inline-form"><button onClick={() => void reload()}>Run again</button></div>
      {error && <p className="form-error" role="alert">Could not run the checklist: {error}</p>}
      {data && (
        <>
          <p role="status" className="doctor-summary">{count('fail')} failed, {count('warn')} with warnings, {count('pass')} passed</p>
          <table className="admin-table" aria-label="Checks">
            <thead><tr><th scope="col">Result</th><th scope="col">Check</th><th scope="col">Found</th><th scope="col">Fix</th></tr></thead>
            <tbody>
              {findings.map((f) => (
                <tr key={f.code} className={`doctor-${f.verdict}`}>
                  <td><span className="doctor-verdict">{LABEL[f.verdict]}</span></td>
                  <td>{f.check}</td>
                  <td>{f.detail}</td>
                  <td>{f.fix}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
