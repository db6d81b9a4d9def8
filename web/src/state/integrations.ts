// The integrations area's data: which sections the signed-in user may open in a team (their
// system and team roles' permissions, from `/roles/names`).
import { useEffect, useState } from 'react';
import { client } from '../client';
import { integrationSections, type Section } from '../components/integrations/integrationsLogic';
import { useStore } from './store';

/** The sections of `/{team}/integrations` for the signed-in user; null while loading. */
export function useIntegrationSections(teamId: string): Section[] | null {
  const me = useStore((s) => s.me);
  const config = useStore((s) => s.config) as Record<string, string | undefined>;
  const teamRoles = useStore((s) => s.teamMembers[teamId]?.roles ?? '');
  const [sections, setSections] = useState<Section[] | null>(null);
  useEffect(() => {
    if (!me) return;
    let live = true;
    const names = [...new Set(`${me.roles} ${teamRoles}`.split(' ').filter(Boolean))];
    const systemAdmin = names.includes('system_admin');
    client
      .getRolesByNames(names)
      .then((roles) => new Set(roles.flatMap((r) => r.permissions)))
      .catch(() => new Set<string>())
      .then((permissions) => {
        if (live) setSections(integrationSections(config, permissions, systemAdmin));
      });
    return () => {
      live = false;
    };
  }, [me?.id, me?.roles, teamRoles, config]);
  return sections;
}
