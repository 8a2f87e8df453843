import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { createLabStore, installLabStore } from '../store/labStore';
import { App } from './App';
import { createEngineClient } from './engineClient';
import { startLab } from './labController';
import { readUrlState, writeUrlState } from './urlState';
import { observeLongTasks } from './viewMarks';
import './styles.css';

observeLongTasks();
const url = readUrlState(window.location.search);
const store = createLabStore(url.analysis);
installLabStore(store);
const client = createEngineClient();
const controller = startLab(client, store, url, new URL(import.meta.env.BASE_URL, window.location.href).href);

window.addEventListener('pagehide', () => client.terminate());

// The checkpoint and settings live in the address, so a reload or a shared link opens the same view.
store.subscribe((s, prev) => {
  if (s.run && (s.currentIndex !== prev.currentIndex || s.options !== prev.options)) {
    const search = writeUrlState(window.location.search, { checkpoint: s.currentIndex, analysis: s.options });
    if (search !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  }
});
if (new URLSearchParams(window.location.search).has('bench')) {
  window.__labBench = { measureThroughput: (images, batchSize) => client.api.measureThroughput(images, batchSize) };
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App controller={controller} notices={url.notices} />
  </StrictMode>,
);
