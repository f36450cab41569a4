/** Entry of the runr page bundle (scripts/bundle-view.mjs → dist/view-page/page.js + page.css). */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { start } from './app.js';

start().catch((err: unknown) => {
  // Shown on the page, and thrown on so the console (and the browser tests) see it.
  const app = document.getElementById('app');
  if (app !== null) app.textContent = err instanceof Error ? err.message : String(err);
  throw err;
});
