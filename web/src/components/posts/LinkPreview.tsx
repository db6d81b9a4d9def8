// The preview of the first link of a message (`metadata.embeds`): an OpenGraph card with the
// site, title, description and picture, or the picture itself when the link is to one. Shown
// when the server has link previews on and the user has not turned them off; pictures come
// through the server's image proxy when it has one (`HasImageProxy`); a card's picture the
// server already pointed at its proxy is left as it is.
import type { OpenGraphMetadata, Post, PostEmbed } from '@mattermost/types/posts';
import { client } from '../../client';
import { prefKey, useStore } from '../../state/store';
import { fitWithin } from '../files/files';

const CARD_IMAGE_BOX = { width: 480, height: 240 };
const IMAGE_EMBED_BOX = { width: 480, height: 360 };

export function LinkPreview({ post }: { post: Post }) {
  const enabled = useStore((s) => s.config.EnableLinkPreviews === 'true' && s.preferences[prefKey('display_settings', 'link_previews')] !== 'false');
  const proxy = useStore((s) => s.config.HasImageProxy === 'true');
  const embed = post.metadata?.embeds?.find((e) => e.type === 'opengraph' || e.type === 'image');
  if (!enabled || !embed) return null;
  const proxied = `${client.getBaseRoute()}/image?url=`;
  const imageSrc = (url: string) => (proxy && !url.startsWith(proxied) ? proxied + encodeURIComponent(url) : url);
  const dimensions = (url: string) => post.metadata?.images?.[url];
  if (embed.type === 'image') {
    const known = dimensions(embed.url);
    const size = fitWithin(known?.width ?? 0, known?.height ?? 0, IMAGE_EMBED_BOX.width, IMAGE_EMBED_BOX.height);
    return (
      <a className="image-embed" href={embed.url} target="_blank" rel="noopener noreferrer">
        <img src={imageSrc(embed.url)} alt={`Image from ${hostOf(embed.url)}`} width={size.width} height={size.height} loading="lazy" />
      </a>
    );
  }
  return <OpenGraphCard embed={embed} imageSrc={imageSrc} dimensions={dimensions} />;
}

function OpenGraphCard({ embed, imageSrc, dimensions }: {
  embed: PostEmbed;
  imageSrc: (url: string) => string;
  dimensions: (url: string) => { width: number; height: number } | undefined;
}) {
  const og = (embed.data ?? {}) as Partial<OpenGraphMetadata>;
  const url = og.url || embed.url;
  const title = og.title || url;
  const image = og.images?.find((i) => i.secure_url || i.url);
  const imageUrl = image ? image.secure_url || image.url : '';
  const known = imageUrl ? dimensions(imageUrl) : undefined;
  const size = fitWithin(known?.width ?? image?.width ?? 0, known?.height ?? image?.height ?? 0, CARD_IMAGE_BOX.width, CARD_IMAGE_BOX.height);
  return (
    <aside className="link-preview" aria-label={`Link preview: ${title}`}>
      <p className="link-preview-site muted">{og.site_name || hostOf(url)}</p>
      <a className="link-preview-title" href={url} target="_blank" rel="noopener noreferrer">{title}</a>
      {og.description && <p className="link-preview-description">{og.description}</p>}
      {imageUrl && <img className="link-preview-image" src={imageSrc(imageUrl)} alt="" width={size.width} height={size.height} loading="lazy" />}
    </aside>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
