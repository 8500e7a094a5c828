// Renderer entry: load the strings, then mount the app with its query client and
// the live engine status. Runs unchanged in Electron and in a browser.
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { EngineStatusProvider } from './api/engineStatus';
import { createQueryClient } from './api/queryClient';
import { initI18n } from './i18n';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element to mount Wheelhouse into.');

const queryClient = createQueryClient();

void initI18n().then(() => {
  createRoot(container).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <EngineStatusProvider>
          <App />
        </EngineStatusProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
});
