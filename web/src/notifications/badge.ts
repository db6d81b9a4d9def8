// The tab's title and icon tell of unread messages, as Mattermost's FaviconTitleHandler:
// "(3) Channel - Team Site" with the mention count, "* " before it for unread messages without
// mentions, and the icon (drawn on a canvas) gets a red dot while there are mentions.
import { useEffect } from 'react';
import { useStore, type State } from '../state/store';
import { isMuted } from '../state/channels';

/** Mentions and unread messages over every team: the loaded team's channels and direct messages, the other teams' totals. */
function unreadTotals(s: State): { mentions: number; unread: boolean } {
  let mentions = 0;
  let unread = false;
  for (const [channelId, member] of Object.entries(s.myMembers)) {
    const channel = s.channels[channelId];
    if (!channel || channel.delete_at > 0 || (channel.team_id && channel.team_id !== s.currentTeamId)) continue;
    mentions += member.mention_count;
    // A muted channel's messages do not count as unread; its mentions do.
    unread ||= channel.total_msg_count > member.msg_count && !isMuted(s, channelId);
  }
  for (const [teamId, totals] of Object.entries(s.teamUnreads)) {
    if (teamId === s.currentTeamId) continue;
    mentions += totals.mention;
    unread ||= totals.msg > 0;
  }
  return { mentions, unread };
}

/** The document title for a place in a team ("Town Square", "Threads"). */
function pageTitle(place: string, team: string, site: string, totals: { mentions: number; unread: boolean }): string {
  const prefix = totals.mentions > 0 ? `(${totals.mentions}) ` : totals.unread ? '* ' : '';
  return `${prefix}${place ? `${place} - ` : ''}${team} ${site}`.trim();
}

/** Keeps the title and the icon up to date while a team's screen shows `place`. */
export function useUnreadTitle(place: string, teamName: string): void {
  const site = useStore((s) => s.config.SiteName || 'Utmost');
  const mentions = useStore((s) => unreadTotals(s).mentions);
  const unread = useStore((s) => unreadTotals(s).unread);
  useEffect(() => {
    document.title = pageTitle(place, teamName, site, { mentions, unread });
  }, [place, teamName, site, mentions, unread]);
  useEffect(() => {
    setIcon(mentions > 0);
    return () => setIcon(false);
  }, [mentions > 0]);
  useEffect(() => () => void (document.title = site), [site]);
}

const ICON_SIZE = 64;
const icons = new Map<boolean, string>();

/** The app's icon as a data URL (also the notifications' icon); with a red dot for mentions. */
export function appIcon(withDot = false): string {
  const known = icons.get(withDot);
  if (known) return known;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = ICON_SIZE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  ctx.fillStyle = '#1c58d9';
  ctx.beginPath();
  ctx.roundRect(4, 4, 56, 56, 12);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 40px sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('U', 32, 35);
  if (withDot) {
    ctx.fillStyle = '#d24b4e';
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 4;
    ctx.beginPath();
    ctx.arc(48, 16, 14, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
  const url = canvas.toDataURL('image/png');
  icons.set(withDot, url);
  return url;
}

function setIcon(withDot: boolean): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    link.type = 'image/png';
    document.head.appendChild(link);
  }
  link.href = appIcon(withDot);
}
