import { useStore } from '../../state/store';

/** Says when the live connection is down; the WebSocket client reconnects by itself. */
export function ConnectionBanner() {
  const connection = useStore((s) => s.connection);
  return (
    <div className="connection-banner" role="status" aria-live="polite" hidden={connection !== 'reconnecting'}>
      {connection === 'reconnecting' ? 'Connection lost. Reconnecting…' : ''}
    </div>
  );
}
