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

// Each open map's body is laid out on its own, inside out, and then stands in its parent's layout as one
// box (the state's layout too): dagre's compound layout of a whole state grows quadratically with the
// number of open maps (docs/viewer.md: 10 s to open every map of a 12-layer encoder at -O1), while a map's
// body alone is a handful of nodes. No memlet joins two nodes of one body (they all end at access nodes,
// which are the state's), so a body is its header, its children and an exit point below them; a memlet is
// drawn as the state's edge from its access node to the outermost box, then inside each box from the
// header down to the child on its way (reads) or from that child to the exit (writes).
//
// A body's layout depends only on the sizes of its header and children and on which children write out,
// and dagre takes about 8 ms even for five nodes (node 20, dagre 3.1.3), so layouts are kept by that
// shape: the layers of a stacked encoder repeat the same few bodies, and toggling one map lays out at most
// its own body again.
const bodyShapes = new Map(); // shape key -> {width, height, at: [{x, y}], ins: [points], outs: [points]}

function layoutShape(boxes, exits) {
  const key = `${boxes.map((b) => `${b.width}x${b.height}`).join(' ')}|${exits.join(' ')}`;
  if (bodyShapes.has(key)) return bodyShapes.get(key);
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 30, marginx: 8, marginy: 4 });
  boxes.forEach((b, i) => g.setNode(String(i), { width: b.width, height: b.height }));
  // Box 0 is the header: above the body, as DaCe's map entry is; its edges are also the ways of reads.
  for (let i = 1; i < boxes.length; i++) g.setEdge('0', String(i), { weight: 2, minlen: 1 }, 'in');
  if (exits.length) {
    g.setNode('exit', { width: 8, height: 2 });
    for (const i of exits) g.setEdge(String(i), 'exit', { weight: 1, minlen: 1 }, 'out');
  }
  dagre.layout(g);
  const shape = { width: g.graph().width, height: g.graph().height, at: boxes.map((_, i) => g.node(String(i))),
    ins: boxes.map((_, i) => (i ? g.edge('0', String(i), 'in').points : null)),
    outs: boxes.map((_, i) => (exits.includes(i) ? g.edge(String(i), 'exit', 'out').points : null)) };
  bodyShapes.set(key, shape);
  return shape;
}

/**
 * Lays out the body of the open map `map`: its header, its children (open maps as the boxes of their own
 * bodies) and, when `writes` (map id -> ids of the children or the header whose writes leave the map) has
 * some, an exit point. Coordinates are relative to the box's top left.
 */
function layoutBody(map, collapsed, writes) {
  const text = nodeText(map);
  const members = [{ id: map.id, ...boxFor(`\u25be ${text}`), kind: 'map', node: map, text, open: true }];
  const inner = new Map(); // child id -> its body layout (open maps)
  for (const child of map.children) {
    if (child.kind === 'map' && child.children.length > 0 && !collapsed.has(child.id)) {
      const body = layoutBody(child, collapsed, writes);
      inner.set(child.id, body);
      members.push({ id: child.id, width: body.width, height: body.height, kind: 'scope' });
    } else {
      const childText = nodeText(child);
      const shown = child.kind === 'map' ? `\u25b8 ${childText}` : childText;
      members.push({ id: child.id, ...boxFor(shown), kind: child.kind, node: child, text: childText, open: false });
    }
  }
  const exits = writes.get(map.id) || new Set();
  const shape = layoutShape(members, members.map((m, i) => (exits.has(m.id) ? i : -1)).filter((i) => i >= 0));
  const body = { width: shape.width, height: shape.height, nodes: [], inner, ins: new Map(), outs: new Map() };
  members.forEach((m, i) => {
    body.nodes.push({ ...m, x: shape.at[i].x, y: shape.at[i].y });
    if (shape.ins[i]) body.ins.set(m.id, shape.ins[i]);
    if (shape.outs[i]) body.outs.set(m.id, shape.outs[i]);
  });
  return body;
}

/** The maps of a drawn memlet's way from its state to its endpoint `end` (all open), outermost first. */
function openChain(end, byId) {
  const chain = [];
  for (let at = byId.get(end).parent; at !== null; at = byId.get(at).parent) chain.unshift(at);
  return chain;
}

const shift = (points, dx, dy) => points.map((p) => ({ x: p.x + dx, y: p.y + dy }));

/**
 * Lays out state `s` of `graph`. Returns {width, height, nodes: [{id, kind, x, y, width, height, ...}],
 * clusters: [...], edges: [{points, memlets: [...], label}]}; coordinates are relative to the state.
 */
export function layoutState(graph, s, collapsed) {
  const state = graph.states[s];
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, edgesep: 10, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const byId = indexNodes(state);
  const accessNodes = [];

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
    accessNodes.push(id);
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

  // Memlets, merged when several end at one collapsed map for the same container and direction.
  const edges = new Map();
  const writes = new Map(); // open map id -> the children (or itself, its header) whose writes leave it
  for (const m of state.memlets) {
    const end = visibleEndpoint(m.node, byId, collapsed);
    const access = accessOf.get(m);
    const merged = end !== m.node;
    const key = merged ? `${end}|${access}|${m.write}` : `${edges.size}`;
    let edge = edges.get(key);
    if (!edge) {
      const chain = openChain(end, byId);
      edge = { from: m.write ? end : access, to: m.write ? access : end, memlets: [], merged, end, chain };
      edges.set(key, edge);
      if (m.write) {
        // The way out of each open map around the endpoint; an open map's own header writes through its exit.
        const ways = [...chain, end];
        if (byId.get(end).node.kind === 'map' && !collapsed.has(end) && byId.get(end).node.children.length)
          ways.push(end);
        for (let k = 0; k + 1 < ways.length; k++) {
          if (!writes.has(ways[k])) writes.set(ways[k], new Set());
          writes.get(ways[k]).add(ways[k + 1]);
        }
      }
    }
    edge.memlets.push(m);
  }

  const bodies = new Map(); // top-level open map id -> its body layout
  for (const node of state.nodes) {
    const text = nodeText(node);
    const open = node.kind === 'map' && !collapsed.has(node.id) && node.children.length > 0;
    if (open) {
      const body = layoutBody(node, collapsed, writes);
      bodies.set(node.id, body);
      g.setNode(node.id, { width: body.width, height: body.height, kind: 'scope' });
    } else {
      g.setNode(node.id, { ...boxFor(node.kind === 'map' ? `\u25b8 ${text}` : text), kind: node.kind, node, text, open: false });
    }
  }

  // The memlets between one access node and one top-level node share one edge of the state's layout,
  // their labels stacked on it (outside a map they run together, as into a DaCe map entry): the state's
  // layout then has about as many edges with every map open as with all of them collapsed.
  const topNodes = new Map(state.nodes.map((n) => [n.id, n]));
  const bundles = new Map(); // "top|access|write" -> {edges, width}
  let name = 0;
  for (const edge of edges.values()) {
    edge.bytes = movedBytes(topNodes.get(edge.memlets[0].top), edge.memlets[0]);
    edge.text = memletText(graph, edge);
    edge.name = `e${name++}`;
    const top = edge.chain.length ? edge.chain[0] : edge.end;
    const write = edge.memlets[0].write;
    const access = write ? edge.to : edge.from;
    const key = `${top}|${access}|${write}`;
    if (!bundles.has(key)) bundles.set(key, { from: write ? top : access, to: write ? access : top, edges: [], width: 0 });
    const bundle = bundles.get(key);
    bundle.edges.push(edge);
    bundle.width = Math.max(bundle.width, boxFor(edge.text, 0).width);
  }
  let b = 0;
  for (const bundle of bundles.values())
    g.setEdge(bundle.from, bundle.to, { width: bundle.width, height: 14 * bundle.edges.length, labelpos: 'c', bundle }, `b${b++}`);
  dagre.layout(g);

  const result = { width: g.graph().width, height: g.graph().height, nodes: [], clusters: [], edges: [] };
  const origins = new Map(); // open map id -> {body, x, y}: its box's top left in the state
  const place = (id, body, x, y) => {
    origins.set(id, { body, x, y });
    const box = { x: x + body.width / 2, y: y + body.height / 2, width: body.width, height: body.height };
    result.clusters.push({ id: `k${id}`, kind: 'cluster', node: byId.get(id).node, ...box });
    for (const n of body.nodes) {
      if (body.inner.has(n.id)) place(n.id, body.inner.get(n.id), x + n.x - n.width / 2, y + n.y - n.height / 2);
      else result.nodes.push({ ...n, x: x + n.x, y: y + n.y });
    }
  };
  for (const id of accessNodes) result.nodes.push({ id, ...g.node(id) });
  for (const node of state.nodes) {
    const n = g.node(node.id);
    if (bodies.has(node.id)) place(node.id, bodies.get(node.id), n.x - n.width / 2, n.y - n.height / 2);
    else result.nodes.push({ id: node.id, ...n });
  }
  for (const e of g.edges()) {
    const label = g.edge(e);
    label.bundle.edges.forEach((edge, i) => {
      // The way inside the boxes: from each open map's header to the next box or the endpoint (reads), or
      // from there to each exit (writes), innermost last for reads and first for writes.
      const write = edge.memlets[0].write;
      const ways = [...edge.chain, edge.end];
      const inside = [];
      for (let k = 0; k + 1 < ways.length; k++) {
        const { body, x, y } = origins.get(ways[k]);
        const points = (write ? body.outs : body.ins).get(ways[k + 1]);
        if (points) inside.push(shift(points, x, y));
      }
      if (write && origins.has(edge.end)) {
        const { body, x, y } = origins.get(edge.end);
        inside.push(shift(body.outs.get(edge.end) || [], x, y));
      }
      const points = write ? [...inside.reverse().flat(), ...label.points] : [...label.points, ...inside.flat()];
      const y = label.y + 14 * i - 7 * (label.bundle.edges.length - 1);
      result.edges.push({ ...edge, points, x: label.x, y });
    });
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
