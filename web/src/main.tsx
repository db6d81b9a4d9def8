import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { boot } from './state/session';
import { applyTheme } from './theme';
import { warmUpMarkdown } from './markdown/markdown';
import './styles.css';

applyTheme(undefined);
void boot();
// While boot() waits for the server: the markdown warm-up must be done before the first click on
// a channel, which can come as soon as the sidebar shows (an idle callback came too late).
warmUpMarkdown();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
