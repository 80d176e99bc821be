// Turns one state of a step's graph into a dagre layout: access nodes (containers), library nodes,
// copies, maps (a header node inside a cluster holding the map's body), tasklets, micro-kernel calls,
// and memlets as edges. A collapsed map is its header node alone; the memlets of its body end there,
// merged per container and direction. Then the states themselves are laid out with the interstate edges.
import dagre from '@dagrejs/dagre';
import { clip, formatBytes } from './format.js';

const CHAR_WIDTH = 6.6; // px per character of the 11px monospace font
const NODE_HEIGHT = 28;

function boxFor(text, min = 40) {
  return { width: Math.max(min, Math.ceil(text.length * CHAR_WIDTH) + 16), height: NODE_HEIGHT };
}

/** The text drawn in a node. */
export function nodeText(node) {
  switch (node.kind) {
    case 'library':
      return `${node.op.replace(/^nn\./, '')}${node.label ? ` ${node.label}` : ''}${node.impl ? ` [${node.impl}]` : ''}`;
    case 'map':
      return clip(node.label.replace(/^sdfg\.map /, 'map '), 56);
    default:
      return clip(node.label, 60);
  }
}

/** Every node of a state by id, with its parent map's id (null at the top level). */
export function indexNodes(state) {
  const byId = new Map();
  const visit = (node, parent) => {
    byId.set(node.id, { node, parent });
    for (const child of node.children || []) visit(child, node.id);
  };
  for (const node of state.nodes) visit(node, null);
  return byId;
}

/** The drawn node a memlet ends at: its endpoint, or the outermost collapsed map around it. */
function visibleEndpoint(id, byId, collapsed) {
  let visible = id;
  for (let at = byId.get(id); at; at = at.parent === null ? null : byId.get(at.parent)) {
    if (at.node.kind === 'map' && collapsed.has(at.node.id) && at.node.id !== id) visible = at.node.id;
    else if (at.node.kind === 'map' && collapsed.has(at.node.id)) visible = at.node.id;
  }
  return visible;
}

/**
 * Lays out state `s` of `graph`. Returns {width, height, nodes: [{id, kind, x, y, width, height, ...}],
 * clusters: [...], edges: [{points, memlets: [...], label}]}; coordinates are relative to the state.
 */
export function layoutState(graph, s, collapsed) {
  const state = graph.states[s];
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, edgesep: 10, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const byId = indexNodes(state);
  const drawn = [];
  const clusters = [];

  // As in DaCe, a container gets a new access node after each node that writes it: readers connect to
  // the version written last before them, so the drawing follows the dataflow instead of tying every
  // use of a container to one node.
  const version = new Map(); // container -> its current access node
  let versions = 0;
  const accessNode = (c, fresh) => {
    if (!fresh && version.has(c)) return version.get(c);
    const id = `a${s}.${c}.${versions++}`;
    const container = graph.containers[c];
    const text = container.storage === 'heap' ? container.name : `${container.name} [${container.storage}]`;
    g.setNode(id, { ...boxFor(text), kind: 'access', container: c, text });
    drawn.push(id);
    version.set(c, id);
    return id;
  };
  const accessOf = new Map(); // memlet -> its access node
  for (let i = 0; i < state.memlets.length; ) {
    let j = i;
    while (j < state.memlets.length && state.memlets[j].top === state.memlets[i].top) j++;
    const group = state.memlets.slice(i, j);
    for (const m of group) if (!m.write) accessOf.set(m, accessNode(m.container, false));
    const written = new Map();
    for (const m of group) {
      if (!m.write) continue;
      if (!written.has(m.container)) written.set(m.container, accessNode(m.container, true));
      accessOf.set(m, written.get(m.container));
    }
    i = j;
  }
  const addNode = (node, parentCluster) => {
    const text = nodeText(node);
    const isMap = node.kind === 'map';
    const open = isMap && !collapsed.has(node.id) && node.children.length > 0;
    const box = boxFor(isMap ? `${open ? '\u25be' : '\u25b8'} ${text}` : text);
    g.setNode(node.id, { ...box, kind: node.kind, node, text, open });
    drawn.push(node.id);
    if (open) {
      const cluster = `k${node.id}`;
      g.setNode(cluster, { kind: 'cluster', node, paddingTop: 4 });
      clusters.push(cluster);
      if (parentCluster) g.setParent(cluster, parentCluster);
      g.setParent(node.id, cluster);
      for (const child of node.children) {
        addNode(child, cluster);
        // Not drawn: keeps the map's header above its body, as DaCe's map entry is.
        g.setEdge(node.id, child.id, { weight: 2, minlen: 1 }, `h${child.id}`);
      }
    } else if (parentCluster) {
      g.setParent(node.id, parentCluster);
    }
  };
  for (const node of state.nodes) addNode(node, null);

  // Memlets, merged when several end at one collapsed map for the same container and direction.
  const edges = new Map();
  for (const m of state.memlets) {
    const end = visibleEndpoint(m.node, byId, collapsed);
    const access = accessOf.get(m);
    const merged = end !== m.node;
    const key = merged ? `${end}|${access}|${m.write}` : `${edges.size}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = { from: m.write ? end : access, to: m.write ? access : end, memlets: [], merged };
      edges.set(key, edge);
    }
    edge.memlets.push(m);
  }
  const topNodes = new Map(state.nodes.map((n) => [n.id, n]));
  let name = 0;
  for (const edge of edges.values()) {
    edge.bytes = movedBytes(topNodes.get(edge.memlets[0].top), edge.memlets[0]);
    edge.text = memletText(graph, edge);
    const labelBox = boxFor(edge.text, 0);
    edge.name = `e${name++}`;
    g.setEdge(edge.from, edge.to, { width: labelBox.width, height: 14, labelpos: 'c', edge }, edge.name);
  }
  dagre.layout(g);

  const result = { width: g.graph().width, height: g.graph().height, nodes: [], clusters: [], edges: [] };
  for (const id of drawn) result.nodes.push({ id, ...g.node(id) });
  for (const id of clusters) result.clusters.push({ id, ...g.node(id) });
  for (const e of g.edges()) {
    const label = g.edge(e);
    if (!label.edge) continue; // a header-to-body spacer
    result.edges.push({ ...label.edge, points: label.points, x: label.x, y: label.y });
  }
  return result;
}

/** Bytes the memlet's top-level node moves in its container, in its direction (movement analysis). */
function movedBytes(top, memlet) {
  if (!top) return null;
  let total = null;
  for (const part of top.moved)
    if (part.container === memlet.container && part.write === memlet.write)
      total = part.bytes === null ? null : (total ?? 0) + part.bytes;
  return total;
}

/** The label of a drawn memlet edge: container, subset (or index), bytes moved. */
function memletText(graph, edge) {
  const m = edge.memlets[0];
  const name = graph.containers[m.container].name;
  const wcr = m.wcr ? ` wcr(${m.wcr})` : '';
  if (edge.memlets.length > 1) return clip(`${name} \u00d7${edge.memlets.length}${wcr} ${formatBytes(edge.bytes)}`, 44);
  const where = m.index ? `${m.index} in ${m.subset}` : m.subset;
  return clip(`${name}${where.startsWith('[') ? '' : ' '}${where}${wcr} ${formatBytes(edge.bytes)}`, 44);
}

/** Places the laid-out states by the interstate edges. Returns {width, height, states, edges}. */
export function layoutStates(graph, stateLayouts) {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 50, marginx: 10, marginy: 10 });
  const TITLE = 22;
  stateLayouts.forEach((layout, s) =>
    g.setNode(`s${s}`, { width: Math.max(layout.width, 120), height: layout.height + TITLE }),
  );
  graph.edges.forEach((edge, i) => {
    const box = boxFor(edge.label, 0);
    g.setEdge(`s${edge.src}`, `s${edge.dst}`, { width: box.width, height: 14, labelpos: 'c', index: i }, `i${i}`);
  });
  dagre.layout(g);
  const states = stateLayouts.map((layout, s) => {
    const n = g.node(`s${s}`);
    return { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height, title: TITLE };
  });
  const edges = g.edges().map((e) => {
    const label = g.edge(e);
    return { index: label.index, points: label.points, x: label.x, y: label.y };
  });
  return { width: g.graph().width, height: g.graph().height, states, edges };
}
