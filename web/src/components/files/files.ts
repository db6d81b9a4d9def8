// Where a file's bytes are, and which files the client shows as pictures.
import type { FileInfo } from '@mattermost/types/files';
import { client } from '../../client';

// What a browser shows by itself, so a picture the server made no thumbnail of still shows.
const SHOWN_AS_IS = ['image/png', 'image/jpeg', 'image/gif', 'image/bmp', 'image/webp'];

/** A picture: the server made a thumbnail and preview of it, or the browser can show the original. */
export const isPicture = (f: FileInfo) => f.has_preview_image || SHOWN_AS_IS.includes(f.mime_type);

const originalUrl = (f: FileInfo) => client.getFileUrl(f.id, 0);

/** The small view: the server's thumbnail, or the original when there is none (as Mattermost's client does). */
export const thumbnailUrl = (f: FileInfo) => (f.has_preview_image ? client.getFileThumbnailUrl(f.id, 0) : originalUrl(f));

/** The large view: the preview, except for a GIF, whose preview would stop its animation. */
export const largeUrl = (f: FileInfo) => (f.has_preview_image && f.mime_type !== 'image/gif' ? client.getFilePreviewUrl(f.id, 0) : originalUrl(f));

/** The original, sent as an attachment (Mattermost's `download=1`). */
export const downloadUrl = (f: FileInfo) => `${originalUrl(f)}?download=1`;

/** width × height scaled down to fit in the box, keeping the proportions; the box when unknown. */
export function fitWithin(width: number, height: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  if (!width || !height) return { width: maxWidth, height: maxHeight };
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
