// The integrations area at Mattermost's URLs: /{team}/integrations and a page per kind
// (/incoming_webhooks, /outgoing_webhooks, /commands, /bots, /oauth2-apps), with a side list of the kinds
// the user may manage.
import { useEffect, type ReactNode } from 'react';
import { navigate } from '../../state/router';
import { getState, update, useStore } from '../../state/store';
import { loadChannels } from '../../state/channels';
import { useIntegrationSections } from '../../state/integrations';
import { Redirect } from '../App';
import { IncomingWebhooks } from './IncomingWebhooks';
import { OutgoingWebhooks } from './OutgoingWebhooks';
import { Bots } from './Bots';
import { SlashCommands } from './SlashCommands';
import { OAuthApps } from './OAuthApps';
import './integrations.css';

export function Integrations({ team: teamName, section }: { team: string; section: string }) {
  const team = useStore((s) => Object.values(s.teams).find((t) => t.name === teamName));
  const sections = useIntegrationSections(team?.id ?? '');
  // The hooks' channel lists need the team's channels, loaded when no channel was opened yet.
  useEffect(() => {
    if (!team || getState().currentTeamId === team.id) return;
    void loadChannels(team.id).then(() => update(() => ({ currentTeamId: team.id })));
  }, [team?.id]);
  if (!team) return <Redirect to="/select_team" />;
  const base = `/${team.name}/integrations`;
  const current = section.split('/')[0];
  const link = (path: string, label: ReactNode) => (
    <a
      href={path}
      aria-current={path === (current ? `${base}/${current}` : base) ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );

  let page: ReactNode;
  if (!sections) page = <p className="muted" role="status">Loading…</p>;
  else if (current && !sections.some((s) => s.path === current)) page = <p role="alert">You cannot manage these integrations.</p>;
  else if (current === 'incoming_webhooks') page = <IncomingWebhooks team={team} />;
  else if (current === 'outgoing_webhooks') page = <OutgoingWebhooks team={team} />;
  else if (current === 'commands') page = <SlashCommands teamId={team.id} />;
  else if (current === 'bots') page = <Bots />;
  else if (current === 'oauth2-apps') page = <OAuthApps />;
  else {
    page = (
      <>
        <h1>Integrations</h1>
        {sections.length === 0 ? (
          <p>You have no integrations to manage in {team.display_name}.</p>
        ) : (
          <ul className="integration-cards">
            {sections.map((s) => (
              <li key={s.path}>{link(`${base}/${s.path}`, s.label)}</li>
            ))}
          </ul>
        )}
      </>
    );
  }

  return (
    <div className="integrations">
      <nav className="integrations-nav" aria-label="Integrations">
        <p>{link(`/${team.name}/channels/town-square`, `← Back to ${team.display_name}`)}</p>
        <ul>
          <li>{link(base, 'Overview')}</li>
          {(sections ?? []).map((s) => (
            <li key={s.path}>{link(`${base}/${s.path}`, s.label)}</li>
          ))}
        </ul>
      </nav>
      <main className="integrations-main">{page}</main>
    </div>
  );
}

/** A value shown once or to copy (a hook's URL, a secret, a token). */
export function Copyable({ label, value }: { label: string; value: string }) {
  return (
    <label className="copyable">
      <span>{label}</span>
      <input readOnly value={value} onFocus={(e) => e.target.select()} />
    </label>
  );
}
