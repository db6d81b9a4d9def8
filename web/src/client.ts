// The one connection to the server: Mattermost's own Client4 and WebSocketClient.
// The browser authenticates with the session cookies the server sets at login (MMAUTHTOKEN,
// MMCSRF); Client4 sends X-Requested-With and the CSRF header from the cookie by itself.
import { Client4, WebSocketClient } from '@mattermost/client';

export const client = new Client4();
client.setUrl(window.location.origin);
client.setIncludeCookies(true);

export const socket = new WebSocketClient({
  // Come back quickly after a server restart; the library backs off from here.
  minWebSocketRetryTime: 1000,
  maxWebSocketRetryTime: 15000,
  reconnectJitterRange: 1000,
});

export function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/api/v4/websocket`;
}

/** A human message for anything Client4 throws (ClientError carries the server's message). */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const message = String((error as { message: unknown }).message);
    if (message) return message;
  }
  return 'Something went wrong. Please try again.';
}

export function errorId(error: unknown): string {
  if (error && typeof error === 'object' && 'server_error_id' in error) {
    return String((error as { server_error_id: unknown }).server_error_id ?? '');
  }
  return '';
}

export function errorStatus(error: unknown): number {
  if (error && typeof error === 'object' && 'status_code' in error) {
    return Number((error as { status_code: unknown }).status_code ?? 0);
  }
  return 0;
}
