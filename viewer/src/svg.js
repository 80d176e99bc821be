// SVG drawing of laid-out states. Every text from the graph file goes in through text nodes
// (textContent), never as markup.
import { clip, formatBytes } from './format.js';

const NS = 'http://www.w3.org/2000/svg';

export function el(name, attributes = {}, parent = null) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

function text(parent, x, y, content, cls) {
  const t = el('text', { x, y, class: cls }, parent);
  t.textContent = content;
  return t;
}

function title(parent, content) {
  el('title', {}, parent).textContent = content;
}

function pathOf(points, dx, dy) {
  return points.map((p, i) => `${i ? 'L' : 'M'}${(p.x + dx).toFixed(1)},${(p.y + dy).toFixed(1)}`).join(' ');
}

/** Stroke width of a memlet moving `bytes`, on a log scale up to `maxBytes` (heavier is wider). */
export function strokeFor(bytes, maxBytes) {
  if (bytes === null || bytes === undefined || !maxBytes) return 1.2;
  return 1 + 6 * (Math.log1p(bytes) / Math.log1p(maxBytes));
}

/**
 * Draws the states of `placed` (layoutStates) with their contents (layoutState per state) into `root`.
 * `changed` is the set of node ids the step's pass changed; `onSelect(kind, item)` gets clicks;
 * `onToggle(mapId)` gets clicks on a map's triangle.
 */
export function drawGraph(root, graph, placed, layouts, { changed, onSelect, onToggle, maxBytes }) {
  const edgeLayer = el('g', { class: 'interstate-layer' }, root);
  placed.states.forEach((box, s) => {
    const state = graph.states[s];
    const g = el('g', { class: 'state', 'data-state': s, transform: `translate(${box.x},${box.y})` }, root);
    el('rect', { class: 'state-box', width: box.width, height: box.height, rx: 6 }, g);
    text(g, 8, 15, `state @${state.name}  moved ${formatBytes(state.moved)}`, 'state-title');
    const inner = el('g', { transform: `translate(0,${box.title})` }, g);
    drawState(inner, graph, layouts[s], { changed, onSelect, onToggle, maxBytes });
  });
  for (const e of placed.edges) {
    const edge = graph.edges[e.index];
    const g = el('g', { class: 'interstate', 'data-edge': e.index }, edgeLayer);
    el('path', { d: pathOf(e.points, 0, 0), class: 'interstate-path', 'marker-end': 'url(#arrow)' }, g);
    if (edge.label) text(g, e.x, e.y + 4, edge.label, 'edge-label interstate-label');
    g.addEventListener('click', (ev) => {
      ev.stopPropagation();
      onSelect('interstate', edge);
    });
  }
}

function drawState(root, graph, layout, { changed, onSelect, onToggle, maxBytes }) {
  const clusterLayer = el('g', {}, root);
  const edgeLayer = el('g', {}, root);
  const nodeLayer = el('g', {}, root);
  for (const c of layout.clusters) {
    el('rect', {
      class: `scope${changed.has(c.node.id) ? ' changed' : ''}`, 'data-scope': c.node.id,
      x: c.x - c.width / 2, y: c.y - c.height / 2, width: c.width, height: c.height, rx: 4,
    }, clusterLayer);
  }
  for (const n of layout.nodes) {
    const isChanged = n.node && changed.has(n.node.id);
    const cls = ['node', n.kind];
    if (n.kind === 'access') cls.push(graph.containers[n.container].kind);
    if (isChanged) cls.push('changed');
    if (n.kind === 'map') cls.push(n.open ? 'open' : 'collapsed');
    const g = el('g', {
      class: cls.join(' '), 'data-kind': n.kind, 'data-id': n.id,
      transform: `translate(${n.x - n.width / 2},${n.y - n.height / 2})`,
    }, nodeLayer);
    const shape = n.kind === 'access' ? { rx: n.height / 2 } : n.kind === 'tasklet' ? { rx: 9 } : { rx: 2 };
    el('rect', { class: 'shape', width: n.width, height: n.height, ...shape }, g);
    const label = n.kind === 'map' ? `${n.open ? '\u25be' : '\u25b8'} ${n.text}` : n.text;
    text(g, n.width / 2, n.height / 2 + 4, label, 'node-label');
    if (n.kind === 'access') {
      const c = graph.containers[n.container];
      title(g, `${c.name}: ${c.kind}, ${c.storage}${c.lifetime ? `, lifetime ${c.lifetime}` : ''}, ${c.shape}, ${formatBytes(c.bytes)}`);
    } else {
      title(g, n.node.label || n.node.op);
    }
    g.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (n.kind === 'map' && ev.offsetX !== undefined && isToggleClick(ev, g)) onToggle(n.node.id);
      else onSelect(n.kind === 'access' ? 'access' : 'node', n.kind === 'access' ? graph.containers[n.container] : n.node);
    });
    if (n.kind === 'map') {
      g.addEventListener('dblclick', (ev) => {
        ev.stopPropagation();
        onToggle(n.node.id);
      });
    }
  }
  for (const e of layout.edges) {
    const g = el('g', { class: `memlet${e.memlets[0].write ? ' write' : ' read'}${e.merged ? ' merged' : ''}`,
      'data-memlets': e.memlets.length }, edgeLayer);
    el('path', { d: pathOf(e.points, 0, 0), class: 'memlet-path', 'stroke-width': strokeFor(e.bytes, maxBytes).toFixed(2),
      'marker-end': 'url(#arrow)' }, g);
    text(g, e.x, e.y + 4, e.text, 'edge-label');
    title(g, e.memlets.map((m) => memletTitle(graph, m, e.bytes)).join('\n'));
    g.addEventListener('click', (ev) => {
      ev.stopPropagation();
      onSelect('memlet', e);
    });
  }
}

/** A click on the first 16 pixels of a map's header toggles it. */
function isToggleClick(ev, g) {
  const box = g.getBoundingClientRect();
  return ev.clientX - box.left < 18 * (box.width / Number(g.firstChild.getAttribute('width')));
}

export function memletTitle(graph, m, bytes) {
  const name = graph.containers[m.container].name;
  const parts = [`${m.write ? 'write' : 'read'} ${name}${m.index ? ` ${m.index}` : ''}`, `subset ${m.subset}`];
  if (m.via) parts.push(`through ${m.via}`);
  if (m.wcr) parts.push(`wcr(${m.wcr})`);
  parts.push(`moved by its node: ${formatBytes(bytes)}`);
  if ('accesses' in m) parts.push(`accesses ${formatBytes(m.accesses)}`);
  return clip(parts.join(', '), 400);
}
