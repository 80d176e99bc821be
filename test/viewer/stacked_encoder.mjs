// A graph of N bert_encoder layers in a row (samples/bert_encoder.json, each layer with its own weights):
// the size the viewer must stay usable at (docs/viewer.md). Layer l names everything `l<l>_<name>`; the
// input is `x`, the output `y`.
//   node test/viewer/stacked_encoder.mjs N OUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export function stackedEncoder(layers) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
  const layer = JSON.parse(readFileSync(join(root, 'samples/bert_encoder.json'), 'utf8'));
  const graph = { name: `bert_encoder_x${layers}`, symbols: layer.symbols, test_symbols: layer.test_symbols,
    inputs: [layer.inputs[0]], outputs: layer.outputs, nodes: [] };
  for (let l = 0; l < layers; l++) {
    const rename = (t) => {
      if (t === 'x') return l === 0 ? 'x' : `l${l - 1}_y`;
      if (t === 'y') return l === layers - 1 ? 'y' : `l${l}_y`;
      return `l${l}_${t}`;
    };
    for (const input of layer.inputs.slice(1)) graph.inputs.push({ ...input, name: rename(input.name) });
    for (const node of layer.nodes)
      graph.nodes.push({ ...node, name: `l${l}_${node.name}`, inputs: node.inputs.map(rename), outputs: node.outputs.map(rename) });
  }
  return graph;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [layers, out] = process.argv.slice(2);
  writeFileSync(out, JSON.stringify(stackedEncoder(Number(layers)), null, 1));
}
