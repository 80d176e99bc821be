// The per-step chart: bytes moved and the heap-transient footprint after each pass (docs/movement.md).
import { el } from './svg.js';
import { formatBytes } from './format.js';

export function drawChart(svg, steps, current, onPick) {
  svg.replaceChildren();
  const width = 260;
  const height = 120;
  const pad = { left: 6, right: 6, top: 16, bottom: 16 };
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const series = [
    { key: 'moved', cls: 'series-moved', name: 'moved' },
    { key: 'transients', cls: 'series-transients', name: 'transients' },
  ];
  const max = Math.max(1, ...steps.flatMap((s) => series.map((k) => s[k.key] ?? 0)));
  const x = (i) => pad.left + (steps.length < 2 ? 0 : (i * (width - pad.left - pad.right)) / (steps.length - 1));
  const y = (v) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
  el('line', { x1: x(current), x2: x(current), y1: pad.top - 4, y2: height - pad.bottom, class: 'chart-cursor' }, svg);
  for (const s of series) {
    const points = steps.filter((step) => step[s.key] !== null).map((step) => `${x(step.index)},${y(step[s.key])}`);
    el('polyline', { points: points.join(' '), class: `chart-line ${s.cls}` }, svg);
  }
  steps.forEach((step, i) => {
    const hit = el('rect', { x: x(i) - 5, y: 0, width: 10, height, class: 'chart-hit' }, svg);
    const t = el('title', {}, hit);
    t.textContent = `${i} ${step.pass}: moved ${formatBytes(step.moved)}, transients ${formatBytes(step.transients)}`;
    hit.addEventListener('click', () => onPick(i));
  });
  const legend = el('text', { x: pad.left, y: 11, class: 'chart-legend' }, svg);
  legend.textContent = `max ${formatBytes(max)}  `;
  const a = el('tspan', { class: 'series-moved-text' }, legend);
  a.textContent = '\u2014 moved ';
  const b = el('tspan', { class: 'series-transients-text' }, legend);
  b.textContent = '\u2014 transients';
  const now = steps[current];
  const foot = el('text', { x: pad.left, y: height - 3, class: 'chart-legend' }, svg);
  foot.textContent = `step ${current}: ${formatBytes(now.moved)} moved, ${formatBytes(now.transients)} transients`;
}
