// The bar above the team's screen, as Mattermost's global header: the search box and the
// recent mentions (@) button.
import { useStore } from '../../state/store';
import { closeSearch, showRecentMentions } from '../../state/search';
import { Icon } from '../common/Icon';
import { SearchBox } from './SearchBox';

export function SearchHeader({ teamId }: { teamId: string }) {
  const mentionsOpen = useStore((s) => s.panel?.kind === 'search' && Boolean(s.search?.mentions));
  return (
    <header className="global-header">
      <SearchBox teamId={teamId} />
      <button className="icon-button" aria-pressed={mentionsOpen} aria-label="Recent mentions" title="Recent mentions"
        onClick={() => (mentionsOpen ? closeSearch() : showRecentMentions())}>
        <Icon name="at" />
      </button>
    </header>
  );
}
