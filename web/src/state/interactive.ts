// Interactive messages and dialogs: a click on a message attachment's button or menu goes to
// the server, which calls the integration; the dialog an integration opens arrives as
// `open_dialog` and shows as a modal until it is submitted or cancelled.
import type { Post } from '@mattermost/types/posts';
import { client } from '../client';
import { getState, update } from './store';
import { navigate } from './router';
import type { DialogValues, OpenDialogRequest } from '../interactive/dialogForm';
import { submission } from '../interactive/dialogForm';

/** A click; an ephemeral post's action sends its cookie, as the server cannot find the post. */
export async function doPostAction(post: Post, actionId: string, cookie: string, selectedOption = ''): Promise<void> {
  const answer = (await client.doPostActionWithCookie(post.id, actionId, cookie, selectedOption)) as { goto_location?: string };
  const target = answer.goto_location;
  if (!target) return;
  // A link into this site opens in the app; anything else in a new tab.
  const url = new URL(target, window.location.origin);
  if (url.origin === window.location.origin) navigate(url.pathname + url.search);
  else window.open(url.href, '_blank', 'noopener');
}

/** `open_dialog`: its `dialog` is the request as a JSON string. */
export function onOpenDialog(json: unknown): void {
  let request: OpenDialogRequest;
  try {
    request = JSON.parse(String(json)) as OpenDialogRequest;
  } catch {
    return;
  }
  update(() => ({ modal: { kind: 'interactiveDialog', request } }));
}

function submitBody(request: OpenDialogRequest) {
  const s = getState();
  return {
    url: request.url,
    callback_id: request.dialog.callback_id,
    state: request.dialog.state ?? '',
    user_id: s.me?.id ?? '',
    channel_id: s.currentChannelId,
    team_id: s.currentTeamId,
  };
}

/** Sends the values; returns the integration's general error and field errors. */
export async function submitDialog(request: OpenDialogRequest, values: DialogValues): Promise<{ error: string; errors: Record<string, string> }> {
  const elements = request.dialog.elements ?? [];
  const answer = await client.submitInteractiveDialog({
    ...submitBody(request),
    submission: submission(elements, values) as Record<string, string>,
    cancelled: false,
  });
  return { error: answer.error ?? '', errors: answer.errors ?? {} };
}

/** Tells the integration the user cancelled, when it asked to know. */
export async function cancelDialog(request: OpenDialogRequest): Promise<void> {
  if (!request.dialog.notify_on_cancel) return;
  await client.submitInteractiveDialog({ ...submitBody(request), submission: {}, cancelled: true });
}
