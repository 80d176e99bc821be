// dmc view: the page. Reads the data dmc embedded (compiler/dmc/View.cpp), draws the chosen step's SDFG
// and lets the user step through the passes. window.dmcView is what the browser tests (test/viewer) drive.
import { layoutState, layoutStates } from './layout.js';
import { drawGraph, memletTitle } from './svg.js';
import { drawChart } from './chart.js';
import { formatBytes } from './format.js';

const started = performance.now();
const data = JSON.parse(document.getElementById('dmc-data').textContent);
const texts = data.texts;

// Maps are drawn open unless collapsed; above this many drawn nodes a step starts with every map closed
// (a 12-layer encoder at -O1 has thousands of tasklets and memlets).
const OPEN_LIMIT = 1500;
const collapsedByUser = new Map(); // map id -> true (collapsed) / false (opened)
let autoCollapse = false;
let current = 0;
let selected = null;

const $ = (id) => document.getElementById(id);

function countNodes(graph) {
  let n = 0;
  const visit = (node) => {
    n++;
    (node.children || []).forEach(visit);
  };
  for (const state of graph.states) {
    n += state.access.length + state.memlets.length;
    state.nodes.forEach(visit);
  }
  return n;
}

function collapsedSet(graph) {
  const set = new Set();
  const visit = (node) => {
    if (node.kind !== 'map') return;
    const user = collapsedByUser.get(node.id);
    if (user === true || (user === undefined && autoCollapse)) set.add(node.id);
    node.children.forEach(visit);
  };
  graph.states.forEach((s) => s.nodes.forEach(visit));
  return set;
}

function maxBytes(graph) {
  let max = 0;
  for (const state of graph.states)
    for (const node of state.nodes) for (const part of node.moved) if (part.bytes) max = Math.max(max, part.bytes);
  return max;
}

function render() {
  const step = data.steps[current];
  const graph = data.graphs[step.graph];
  autoCollapse = countNodes(graph) > OPEN_LIMIT;
  const collapsed = collapsedSet(graph);
  const t0 = performance.now();
  const layouts = graph.states.map((_, s) => layoutState(graph, s, collapsed));
  const placed = layoutStates(graph, layouts);
  const t1 = performance.now();
  const viewport = $('viewport');
  viewport.replaceChildren();
  const changed = new Set(step.changed_nodes);
  drawGraph(viewport, graph, placed, layouts, {
    changed, maxBytes: maxBytes(graph),
    onSelect: (kind, item) => select(kind, item),
    onToggle: (id) => toggle(id),
  });
  const svg = $('canvas');
  svg.setAttribute('data-width', placed.width);
  svg.setAttribute('data-height', placed.height);
  window.dmcView.lastLayoutMs = t1 - t0;
  window.dmcView.lastRenderMs = performance.now() - t0;
  renderSteps();
  $('step-title').textContent =
    `step ${step.index}: ${step.pass}${step.changed ? '' : ' (no change)'}, moved ${formatBytes(step.moved)}, ` +
    `transients ${formatBytes(step.transients)}${autoCollapse ? ' \u2014 large graph: maps start collapsed' : ''}`;
  drawChart($('chart'), data.steps, current, (i) => setStep(i));
}

function renderSteps() {
  const list = $('steps');
  if (!list.childElementCount) {
    for (const step of data.steps) {
      const li = document.createElement('li');
      li.className = step.changed ? 'changed' : 'same';
      li.dataset.step = step.index;
      const mark = document.createElement('span');
      mark.className = 'mark';
      mark.textContent = step.changed ? '\u25cf' : '=';
      const name = document.createElement('span');
      name.textContent = ` ${String(step.index).padStart(2, '0')} ${step.pass}`;
      li.append(mark, name);
      li.title = step.changed ? `changed ${step.changed_nodes.length} nodes` : 'the IR is the same as the step before';
      li.addEventListener('click', () => setStep(step.index));
      list.appendChild(li);
    }
  }
  for (const li of list.children) li.classList.toggle('current', Number(li.dataset.step) === current);
}

function setStep(i) {
  current = Math.max(0, Math.min(data.steps.length - 1, i));
  render();
  if (selected) select(selected.kind, null);
}

function toggle(id) {
  const graph = data.graphs[data.steps[current].graph];
  const isCollapsed = collapsedSet(graph).has(id);
  collapsedByUser.set(id, !isCollapsed);
  render();
}

function setAll(collapse) {
  const graph = data.graphs[data.steps[current].graph];
  const visit = (node) => {
    if (node.kind !== 'map') return;
    collapsedByUser.set(node.id, collapse);
    node.children.forEach(visit);
  };
  graph.states.forEach((s) => s.nodes.forEach(visit));
  render();
}

/**
 * The C++ of a node (View.cpp: cpp_of_node, the lines the emitter wrote for it, nested nodes too), or null
 * when the IR after the last pass has no such node. A node of an earlier step is the node after the last
 * pass with the same path below a top-level node of the same IR text.
 */
function cppOf(graph, node) {
  const lastGraph = data.graphs[data.steps[data.steps.length - 1].graph];
  let id = node.id;
  if (graph !== lastGraph) {
    const topId = node.id.split('.').slice(0, 2).join('.');
    const state = graph.states[Number(topId.slice(1).split('.')[0])];
    const top = state && state.nodes.find((n) => n.id === topId);
    const lastTop = top ? data.last_top_of_ir[String(top.ir)] : undefined;
    if (lastTop === undefined) return null;
    id = lastTop + node.id.slice(topId.length);
  }
  const index = data.cpp_of_node[id];
  return index === undefined ? null : texts[index];
}

function select(kind, item) {
  const panel = $('details');
  if (!item) {
    panel.replaceChildren();
    selected = null;
    return;
  }
  selected = { kind, item };
  const graph = data.graphs[data.steps[current].graph];
  const rows = [];
  const add = (label, value, pre = false) => rows.push({ label, value, pre });
  if (kind === 'node') {
    add('op', item.op);
    if (item.label) add('label', item.label);
    if (item.impl) add('impl', item.impl);
    add('source', item.loc || '(no location)');
    if (item.moved && item.moved.length)
      add('moved', item.moved.map((p) => `${p.write ? 'writes' : 'reads'} ${graph.containers[p.container].name}: ${formatBytes(p.bytes)}`).join('\n'), true);
    add('IR', texts[item.ir], true);
    const cpp = cppOf(graph, item);
    add('C++', cpp === null ? '(this node is not in the IR after the last pass: no C++ for it)'
      : cpp === '' ? '(no line of its own: its values go straight to its memlets)' : cpp, true);
  } else if (kind === 'access') {
    for (const key of ['name', 'kind', 'storage', 'lifetime', 'shape']) add(key, item[key] ?? '-');
    add('size', formatBytes(item.bytes));
  } else if (kind === 'memlet') {
    add('memlets', item.memlets.map((m) => memletTitle(graph, m, item.bytes)).join('\n'), true);
  } else if (kind === 'interstate') {
    add('edge', `@${graph.states[item.src].name} -> @${graph.states[item.dst].name}`);
    add('IR', texts[item.ir], true);
  }
  const nodes = [];
  for (const row of rows) {
    const h = document.createElement('h3');
    h.textContent = row.label;
    const body = document.createElement(row.pre ? 'pre' : 'div');
    body.textContent = row.value;
    nodes.push(h, body);
  }
  panel.replaceChildren(...nodes);
}

function setUpPanZoom() {
  const svg = $('canvas');
  const viewport = $('viewport');
  let scale = 1;
  let tx = 10;
  let ty = 10;
  const apply = () => viewport.setAttribute('transform', `translate(${tx},${ty}) scale(${scale})`);
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const factor = Math.exp(-ev.deltaY * 0.0015);
    const box = svg.getBoundingClientRect();
    const x = ev.clientX - box.left;
    const y = ev.clientY - box.top;
    tx = x - (x - tx) * factor;
    ty = y - (y - ty) * factor;
    scale *= factor;
    apply();
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => {
    drag = { x: ev.clientX - tx, y: ev.clientY - ty };
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    tx = ev.clientX - drag.x;
    ty = ev.clientY - drag.y;
    apply();
  });
  window.addEventListener('pointerup', () => {
    drag = null;
  });
  const fit = () => {
    const box = svg.getBoundingClientRect();
    const w = Number(svg.getAttribute('data-width')) || 1;
    const h = Number(svg.getAttribute('data-height')) || 1;
    scale = Math.max(0.05, Math.min((box.width - 20) / w, (box.height - 20) / h, 1));
    tx = 10;
    ty = 10;
    apply();
  };
  $('fit').addEventListener('click', fit);
  window.dmcView.zoomTo = (newScale, x = 10, y = 10) => {
    scale = newScale;
    tx = x;
    ty = y;
    apply();
  };
  return fit;
}

function start() {
  document.title = `dmc view: ${data.graphs[0].name}`;
  $('graph-name').textContent = `${data.graphs[0].name} \u2014 ${data.file}, ${data.pipeline}`;
  const same = data.steps.filter((s) => !s.changed).length;
  $('summary').textContent = `${data.steps.length} steps, ${data.steps.length - same} changed the IR, ${same} left it as it was`;
  $('prev').addEventListener('click', () => setStep(current - 1));
  $('next').addEventListener('click', () => setStep(current + 1));
  $('prev-change').addEventListener('click', () => {
    for (let i = current - 1; i >= 0; i--) if (data.steps[i].changed) return setStep(i);
  });
  $('next-change').addEventListener('click', () => {
    for (let i = current + 1; i < data.steps.length; i++) if (data.steps[i].changed) return setStep(i);
  });
  $('collapse-all').addEventListener('click', () => setAll(true));
  $('expand-all').addEventListener('click', () => setAll(false));
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowRight') setStep(current + 1);
    if (ev.key === 'ArrowLeft') setStep(current - 1);
  });
  $('canvas').addEventListener('click', () => select(null, null));
  const fit = setUpPanZoom();
  // The last step first: what the library is built from.
  current = data.steps.length - 1;
  render();
  fit();
  window.dmcView.loadMs = performance.now() - started;
  window.dmcView.ready = true;
}

window.dmcView = {
  ready: false,
  data,
  setStep,
  toggle,
  setAll,
  get step() {
    return current;
  },
  /** Drawn elements per kind, read from the SVG. */
  counts() {
    const svg = $('canvas');
    const count = (selector) => svg.querySelectorAll(selector).length;
    const kinds = {};
    for (const kind of ['access', 'library', 'copy', 'map', 'tasklet', 'ukernel'])
      kinds[kind] = count(`g.node[data-kind="${kind}"]`);
    return {
      ...kinds,
      states: count('g.state'),
      interstate: count('g.interstate'),
      memletEdges: count('g.memlet'),
      memlets: [...svg.querySelectorAll('g.memlet')].reduce((n, g) => n + Number(g.getAttribute('data-memlets')), 0),
      scopes: count('rect.scope'),
      changed: count('.changed'),
    };
  },
};
start();
