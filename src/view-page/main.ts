/** Entry of the runr page bundle (scripts/bundle-view.mjs → dist/view-page/page.js + page.css). */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { start } from './app.js';

start();
