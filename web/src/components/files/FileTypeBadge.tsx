/** A document's type as a small labelled sheet: its extension, coloured by kind. */
export function FileTypeBadge({ name }: { name: string }) {
  const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  return (
    <span className={`file-type-badge kind-${fileKind(extension)}`} aria-hidden="true">
      {extension.slice(0, 4).toUpperCase() || 'FILE'}
    </span>
  );
}

const KINDS: Record<string, string[]> = {
  pdf: ['pdf'],
  text: ['txt', 'md', 'csv', 'log', 'json', 'xml', 'yaml', 'yml'],
  document: ['doc', 'docx', 'odt', 'rtf', 'pages'],
  spreadsheet: ['xls', 'xlsx', 'ods', 'numbers'],
  presentation: ['ppt', 'pptx', 'odp', 'key'],
  archive: ['zip', 'gz', 'tgz', 'tar', '7z', 'rar', 'bz2', 'xz'],
  media: ['mp3', 'wav', 'ogg', 'mp4', 'mov', 'webm', 'mkv', 'avi'],
};

function fileKind(extension: string): string {
  return Object.keys(KINDS).find((kind) => KINDS[kind].includes(extension)) ?? 'other';
}
