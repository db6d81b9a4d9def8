import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { boot } from './state/session';
import { applyTheme } from './theme';
import './styles.css';

applyTheme(undefined);
void boot();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
