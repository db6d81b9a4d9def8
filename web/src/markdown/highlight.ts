// Syntax highlighting for code blocks, loaded on first use so it stays out of the initial bundle.
type HljsApi = typeof import('highlight.js/lib/core').default;

let loading: Promise<HljsApi> | null = null;

function load(): Promise<HljsApi> {
  loading ??= (async () => {
    const [{ default: hljs }, ...languages] = await Promise.all([
      import('highlight.js/lib/core'),
      import('highlight.js/lib/languages/javascript'),
      import('highlight.js/lib/languages/typescript'),
      import('highlight.js/lib/languages/python'),
      import('highlight.js/lib/languages/go'),
      import('highlight.js/lib/languages/rust'),
      import('highlight.js/lib/languages/json'),
      import('highlight.js/lib/languages/bash'),
      import('highlight.js/lib/languages/sql'),
      import('highlight.js/lib/languages/xml'),
      import('highlight.js/lib/languages/css'),
      import('highlight.js/lib/languages/yaml'),
    ]);
    const names = ['javascript', 'typescript', 'python', 'go', 'rust', 'json', 'bash', 'sql', 'xml', 'css', 'yaml'];
    names.forEach((name, i) => hljs.registerLanguage(name, languages[i].default));
    hljs.registerAliases(['js', 'jsx'], { languageName: 'javascript' });
    hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
    hljs.registerAliases(['sh', 'shell'], { languageName: 'bash' });
    hljs.registerAliases(['html'], { languageName: 'xml' });
    hljs.registerAliases(['py'], { languageName: 'python' });
    hljs.registerAliases(['rs'], { languageName: 'rust' });
    hljs.registerAliases(['yml'], { languageName: 'yaml' });
    return hljs;
  })();
  return loading;
}

/** Highlights the fenced code blocks with a known language inside `root`. */
export async function highlightWithin(root: HTMLElement): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>('pre code[class*="language-"]:not(.hljs)')];
  if (blocks.length === 0) return;
  const hljs = await load();
  for (const block of blocks) {
    const language = /language-(\S+)/.exec(block.className)?.[1] ?? '';
    if (hljs.getLanguage(language)) hljs.highlightElement(block);
  }
}
