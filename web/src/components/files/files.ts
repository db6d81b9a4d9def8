// Where a file's bytes are, and which files the client shows as pictures.
import type { FileInfo } from '@mattermost/types/files';
import { client } from '../../client';

/** A picture the server could read: it has made a thumbnail and a preview of it. */
export const isPicture = (f: FileInfo) => f.mime_type.startsWith('image/') && f.has_preview_image;

export const thumbnailUrl = (f: FileInfo) => client.getFileThumbnailUrl(f.id, 0);

/** The large view: the preview, except for a GIF, whose preview would stop its animation. */
export const largeUrl = (f: FileInfo) => (f.mime_type === 'image/gif' ? client.getFileUrl(f.id, 0) : client.getFilePreviewUrl(f.id, 0));

/** The original, sent as an attachment (Mattermost's `download=1`). */
export const downloadUrl = (f: FileInfo) => `${client.getFileUrl(f.id, 0)}?download=1`;

/** width × height scaled down to fit in the box, keeping the proportions; the box when unknown. */
export function fitWithin(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  if (!width || !height) return { width: maxWidth, height: maxHeight };
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
