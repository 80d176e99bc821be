// Counts of what the page must draw, read from the IR's text (a --dump-ir-after-all file) with no help
// from dmc view's own export: one node per op, one memlet edge per load, store and container operand.

/** Number of top-level, comma-separated items in `text` from index `open` (just after "(") up to the
 *  matching ")" or a top-level " : " (the types after a library node's operands). */
function operandItems(text, open) {
  let depth = 0;
  let items = 0;
  let sawToken = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '>') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && c === ',') {
      items++;
      sawToken = false;
      continue;
    } else if (depth === 0 && c === ':' ) break;
    if (!/\s/.test(c)) sawToken = true;
  }
  return items + (sawToken ? 1 : 0);
}

function operands(line, keyword) {
  const at = line.indexOf(`${keyword}(`);
  return at < 0 ? 0 : operandItems(line, at + keyword.length + 1);
}

export function countIr(text) {
  const counts = { library: 0, copy: 0, map: 0, tasklet: 0, ukernel: 0, states: 0, interstate: 0, memlets: 0 };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^nn\.\w+ /.test(line)) {
      counts.library++;
      counts.memlets += operands(line, 'ins') + operands(line, 'outs');
    } else if (line.startsWith('sdfg.copy ')) {
      counts.copy++;
      counts.memlets += 2;
    } else if (/^sdfg\.map /.test(line)) counts.map++;
    else if (/^(%\S+ = )?sdfg\.tasklet\b/.test(line)) counts.tasklet++;
    else if (line.startsWith('sdfg.ukernel ')) {
      counts.ukernel++;
      counts.memlets += operands(line, 'ins') + operands(line, 'outs');
    } else if (line.startsWith('sdfg.state @')) counts.states++;
    else if (line.startsWith('sdfg.edge @')) counts.interstate++;
    else if (/^%\S+ = sdfg\.load /.test(line) || line.startsWith('sdfg.store ')) counts.memlets++;
  }
  return counts;
}
