// Files attached in a composer: each is uploaded at once with its own XMLHttpRequest (fetch
// reports no upload progress), shown with its progress, cancellable, and handed to the post when
// it is sent. A composer's files are keyed like its draft, so they survive switching channels.
import type { FileInfo, FileUploadResponse } from '@mattermost/types/files';
import { client } from '../client';
import { draftId } from './drafts';
import { getState, update, type Upload } from './store';

/** Mattermost's web client attaches at most ten files to a post (`file_ids` holds ten ids). */
export const MAX_FILES_PER_POST = 10;

/** The requests under way, by client id: what Cancel aborts. */
const requests = new Map<string, XMLHttpRequest>();

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Why a file cannot be attached, or '' when it can. */
function refusal(file: File, alreadyAttached: number): string {
  const config = getState().config;
  if (config.EnableFileAttachments === 'false') return 'File attachments are turned off on this server.';
  if (alreadyAttached >= MAX_FILES_PER_POST) return `A message can carry at most ${MAX_FILES_PER_POST} files.`;
  const max = Number(config.MaxFileSize ?? 0);
  if (max > 0 && file.size > max) return `Files over ${formatBytes(max)} cannot be uploaded.`;
  return '';
}

function setUploads(key: string, change: (list: Upload[]) => Upload[]): void {
  update((s) => {
    const list = change(s.uploads[key] ?? []);
    const uploads = { ...s.uploads };
    if (list.length > 0) uploads[key] = list;
    else delete uploads[key];
    return { uploads };
  });
}

function patchUpload(key: string, clientId: string, patch: Partial<Upload>): void {
  setUploads(key, (list) => list.map((u) => (u.clientId === clientId ? { ...u, ...patch } : u)));
}

/** Attaches files to the composer of a channel or thread and starts uploading them. */
export function attachFiles(channelId: string, rootId: string, files: File[]): void {
  const key = draftId(channelId, rootId);
  let attached = (getState().uploads[key] ?? []).filter((u) => !u.error).length;
  const added: { upload: Upload; file: File }[] = [];
  for (const file of files) {
    const error = refusal(file, attached);
    if (!error) attached += 1;
    const upload: Upload = {
      clientId: crypto.randomUUID(),
      name: file.name,
      size: file.size,
      sent: 0,
      info: null,
      error,
      previewUrl: !error && file.type.startsWith('image/') ? URL.createObjectURL(file) : '',
    };
    added.push({ upload, file });
  }
  setUploads(key, (list) => [...list, ...added.map((a) => a.upload)]);
  for (const { upload, file } of added) if (!upload.error) send(key, channelId, upload.clientId, file);
}

function send(key: string, channelId: string, clientId: string, file: File): void {
  const form = new FormData();
  form.append('channel_id', channelId);
  form.append('client_ids', clientId);
  form.append('files', file, file.name);
  const xhr = new XMLHttpRequest();
  requests.set(clientId, xhr);
  xhr.open('POST', `${client.getBaseRoute()}/files`);
  xhr.withCredentials = true;
  xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
  const csrf = client.getCSRFFromCookie();
  if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
  xhr.upload.onprogress = (e) => patchUpload(key, clientId, { sent: e.loaded });
  xhr.onload = () => {
    requests.delete(clientId);
    const info = xhr.status === 201 ? uploadedInfo(xhr.responseText, clientId) : null;
    if (info) patchUpload(key, clientId, { info, sent: file.size });
    else patchUpload(key, clientId, { error: serverMessage(xhr.responseText) });
  };
  xhr.onerror = () => {
    requests.delete(clientId);
    patchUpload(key, clientId, { error: 'The upload failed. Check the connection and try again.' });
  };
  xhr.send(form);
}

function uploadedInfo(body: string, clientId: string): FileInfo | null {
  try {
    const response = JSON.parse(body) as FileUploadResponse;
    const index = response.client_ids.indexOf(clientId);
    return response.file_infos[index] ?? null;
  } catch {
    return null;
  }
}

/** The message of the server's error JSON, as Client4 shows it. */
function serverMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON: a proxy's error page
  }
  return 'The upload failed.';
}

/** Cancels an upload under way, or takes a finished or refused file off the message. */
export function removeUpload(channelId: string, rootId: string, clientId: string): void {
  requests.get(clientId)?.abort();
  requests.delete(clientId);
  const key = draftId(channelId, rootId);
  const gone = getState().uploads[key]?.find((u) => u.clientId === clientId);
  if (gone?.previewUrl) URL.revokeObjectURL(gone.previewUrl);
  setUploads(key, (list) => list.filter((u) => u.clientId !== clientId));
}

export const isUploading = (u: Upload) => !u.info && !u.error;

/** The uploaded files of a composer, which a message about to be sent takes; the composer is emptied. */
export function takeAttachedFiles(channelId: string, rootId: string): FileInfo[] {
  const key = draftId(channelId, rootId);
  const list = getState().uploads[key] ?? [];
  list.forEach((u) => u.previewUrl && URL.revokeObjectURL(u.previewUrl));
  setUploads(key, () => []);
  return list.flatMap((u) => (u.info ? [u.info] : []));
}
