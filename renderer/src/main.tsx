import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyTheme } from './app/use-theme';
import { useSettings } from './stores/settings';
import './styles/index.css';
import { App } from './views/App';

// The saved theme before the first paint: a light-theme user sees no dark page while React starts
// (the page is dark until told otherwise, and the first render comes a task or more later).
applyTheme(useSettings.getState().theme);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
