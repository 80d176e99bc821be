// dmc view in headless Chromium (docs/viewer.md): every sample's page loads offline with no console
// error, draws as many nodes and edges of each kind as the IR has (counted from --dump-ir-after-all
// text, test/viewer/ir_counts.mjs), the stepper changes the drawing, a map scope collapses, text from the
// user's file stays text, and a screenshot of bert_encoder at -O3 is kept.
//   DMC=build/bin/dmc OUT=build/viewer/test node --test test/viewer/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, copyFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { join, dirname, basename, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { countIr } from './ir_counts.mjs';
import { stackedEncoder } from './stacked_encoder.mjs';
import { formatBytes } from '../../viewer/src/format.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// playwright-core is a dependency of viewer/ (package-lock.json), installed by scripts/install-viewer-deps.sh.
const { chromium } = createRequire(join(root, 'viewer/package.json'))('playwright-core');
const dmc = resolve(process.env.DMC || join(root, 'build/bin/dmc'));
const out = process.env.OUT || join(root, 'build/viewer/test');
// The flags that work on Debian's chromium here, as root, with no network.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser;
before(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
});

/** Writes the page of `input` and the IR dumps of the same pipeline; returns their paths. */
function makePage(input, name, args) {
  const page = join(out, `${name}.html`);
  const dumps = join(out, `${name}.dumps`);
  // From the checkout's root, so that a relative input path is shown as given.
  execFileSync(dmc, ['view', input, ...args, '-o', page], { cwd: root });
  // A .mlir file's free symbols stay free: --bind gives the page's movement numbers their values but
  // changes no IR, and dmc compile refuses it for them (test/lit/cli/mlir-bind.test).
  const compileArgs = input.endsWith('.mlir') ? args.filter((a, i) => a !== '--bind' && args[i - 1] !== '--bind') : args;
  execFileSync(dmc, ['compile', input, ...compileArgs, '--emit=cpp', '--dump-ir-after-all', dumps, '-o', join(dumps, 'out.cpp')],
    { cwd: root });
  const steps = readdirSync(dumps).filter((f) => /^\d\d-.*\.mlir$/.test(f)).sort();
  return { page, dumps, steps };
}

/** Opens `page` and returns the Playwright page, with every console error, page error, dialog and request
 *  other than the file itself collected in `problems`. */
async function open(file, problems, viewport = { width: 1400, height: 900 }) {
  const page = await browser.newPage({ viewport });
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  const url = pathToFileURL(file).href;
  page.on('request', (r) => r.url() !== url && !r.url().startsWith('data:') && problems.push(`request: ${r.url()}`));
  await page.goto(url);
  await page.waitForFunction(() => window.dmcView?.ready, null, { timeout: 60000 });
  return page;
}

/** Every map opened: the drawn counts, and the page data's own counts of access nodes. */
async function drawnCounts(page, step) {
  return page.evaluate((s) => {
    window.dmcView.setStep(s);
    window.dmcView.setAll(false);
    return window.dmcView.counts();
  }, step);
}

const IR_KINDS = ['library', 'copy', 'map', 'tasklet', 'ukernel', 'states', 'interstate', 'memlets'];

function checkCounts(drawn, irText, what) {
  const expected = countIr(irText);
  for (const kind of IR_KINDS) assert.equal(drawn[kind], expected[kind], `${what}: drawn ${kind}`);
  assert.equal(drawn.memletEdges, expected.memlets, `${what}: one edge per memlet with every map open`);
  assert.ok(drawn.access > 0, `${what}: containers drawn`);
}

const samples = readdirSync(join(root, 'samples')).filter((f) => f.endsWith('.json')).sort();

for (const level of ['-O1', '-O3']) {
  test(`every sample's page at ${level}: loads cleanly, draws the IR's nodes and edges`, async () => {
    for (const sample of samples) {
      const name = `${basename(sample, '.json')}${level}`;
      const { page: file, dumps, steps } = makePage(join(root, 'samples', sample), name, [level, '--test-size']);
      const problems = [];
      const page = await open(file, problems);
      const stepCount = await page.evaluate(() => window.dmcView.data.steps.length);
      assert.equal(stepCount, steps.length, `${name}: one step per dump`);
      for (const s of [0, steps.length - 1])
        checkCounts(await drawnCounts(page, s), readFileSync(join(dumps, steps[s]), 'utf8'), `${name} step ${s}`);
      assert.deepEqual(problems, [], name);
      await page.close();
    }
  });
}

test('the hand-written .mlir sample (three states, interstate edges)', async () => {
  const { page: file, dumps, steps } = makePage(join(root, 'samples/mlir/mha_softmax.mlir'), 'mha_softmax', ['-O2', '--bind', 'S=9']);
  const problems = [];
  const page = await open(file, problems);
  const last = steps.length - 1;
  const drawn = await drawnCounts(page, last);
  checkCounts(drawn, readFileSync(join(dumps, steps[last]), 'utf8'), 'mha_softmax');
  assert.ok(drawn.states === 3 && drawn.interstate === 2);
  // A .mlir node's source location is FILE:LINE:COL of its op.
  const locs = await page.evaluate(() => window.dmcView.data.graphs[0].states.flatMap((st) => st.nodes)
    .filter((n) => n.kind === 'library' && n.label).map((n) => [n.label, n.loc]));
  const lines = readFileSync(join(root, 'samples/mlir/mha_softmax.mlir'), 'utf8').split('\n');
  assert.ok(locs.length >= 4);
  for (const [label, loc] of locs) {
    const [, line, col] = loc.match(/\/samples\/mlir\/mha_softmax\.mlir:(\d+):(\d+)$/);
    assert.ok(lines[line - 1].includes(`label = "${label}"`) && lines[line - 1].slice(col - 1).startsWith('nn.'), loc);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the stepper changes the drawing and marks what the pass changed', async () => {
  const { page: file } = makePage(join(root, 'samples/mha.json'), 'mha-stepper', ['-O3', '--test-size']);
  const problems = [];
  const page = await open(file, problems);
  const result = await page.evaluate(() => {
    const steps = window.dmcView.data.steps;
    const k = steps.findIndex((s, i) => i > 0 && s.changed);
    const same = steps.findIndex((s, i) => i > 0 && !s.changed);
    const svg = () => document.getElementById('viewport').innerHTML;
    window.dmcView.setStep(k - 1);
    const before = svg();
    window.dmcView.setStep(k);
    const afterStep = svg();
    const changedMarks = document.querySelectorAll('#viewport .changed').length;
    const drawnKinds = () => {
      const { changed, ...kinds } = window.dmcView.counts();
      return JSON.stringify(kinds);
    };
    window.dmcView.setStep(same - 1);
    const beforeSame = drawnKinds();
    window.dmcView.setStep(same);
    return { k, before, afterStep, changedMarks, sameSteps: beforeSame === drawnKinds(),
      sameMarks: document.querySelectorAll('#viewport .changed').length,
      current: document.querySelector('#steps li.current').dataset.step, same };
  });
  assert.ok(result.k > 0, 'some pass changes mha at -O3');
  assert.notEqual(result.afterStep, result.before, 'a pass that changed the IR changes the drawing');
  assert.ok(result.changedMarks > 0, 'its changed nodes are highlighted');
  assert.ok(result.sameSteps && result.sameMarks === 0, 'a pass that changed nothing highlights nothing');
  assert.equal(Number(result.current), result.same, 'the step list follows');
  // The keyboard steps too.
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => window.dmcView.step), result.same - 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a map scope collapses into one node and opens again', async () => {
  // bert_encoder at -O3 has maps that read one container through several memlets.
  const { page: file } = makePage(join(root, 'samples/bert_encoder.json'), 'bert-collapse', ['-O3', '--test-size']);
  const problems = [];
  const page = await open(file, problems);
  const r = await page.evaluate(() => {
    window.dmcView.setAll(false);
    // A top-level map with two memlets of one container in one direction: collapsed, they merge.
    const graph = window.dmcView.data.graphs[window.dmcView.data.steps[window.dmcView.step].graph];
    const merges = (state, map) => {
      const seen = new Set();
      return state.memlets.filter((m) => m.node.startsWith(`${map.id}.`) || m.node === map.id)
        .some((m) => seen.size === seen.add(`${m.container}|${m.write}`).size);
    };
    const id = graph.states.flatMap((state) => state.nodes.filter((n) => n.kind === 'map' && n.children.length && merges(state, n)))[0].id;
    const openCounts = window.dmcView.counts();
    const node = document.querySelector(`#viewport g.node[data-id="${id}"]`);
    node.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    const closed = window.dmcView.counts();
    const collapsedNode = document.querySelector(`#viewport g.node.collapsed[data-id="${id}"]`) !== null;
    const inside = document.querySelectorAll(`#viewport g.node[data-id^="${id}."]`).length;
    window.dmcView.toggle(id);
    return { id, openCounts, closed, collapsedNode, inside, reopened: window.dmcView.counts() };
  });
  assert.ok(r.collapsedNode, 'the map is drawn collapsed');
  assert.equal(r.inside, 0, 'nothing of its body is drawn');
  assert.ok(r.closed.scopes < r.openCounts.scopes && r.closed.tasklet < r.openCounts.tasklet);
  assert.ok(r.closed.memletEdges < r.openCounts.memletEdges, 'its memlets merge per container');
  assert.equal(r.closed.memlets, r.openCounts.memlets, 'merged edges still carry every memlet');
  assert.deepEqual(r.reopened, r.openCounts);
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking a node shows its IR, its place in the graph file and its C++', async () => {
  const { page: file } = makePage(join(root, 'samples/mha.json'), 'mha-click', ['-O3', '--test-size']);
  const problems = [];
  const page = await open(file, problems);
  await page.click('#viewport g.node[data-kind="library"] rect.shape');
  const shown = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#details h3')]
    .map((h) => [h.textContent, h.nextElementSibling.textContent])));
  assert.match(shown.IR, /^nn\.\w+ ins\(/);
  const [, node, line] = shown.source.match(/^nodes\[\d+\] '(\w+)' in .*samples\/mha\.json:(\d+)$/);
  const graphLines = readFileSync(join(root, 'samples/mha.json'), 'utf8').split('\n');
  assert.ok(graphLines[Number(line) - 1].includes(`"name": "${node}"`), `line ${line} of mha.json is node ${node}`);
  assert.match(shown['C++'], /\{ \/\/ nn\.\w+ '\w+'[\s\S]*dmcrt_/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a nested node shows its own C++: a tasklet its expression, a map its loops, at any step', async () => {
  const { page: file } = makePage(join(root, 'samples/mlir/mha_softmax.mlir'), 'mha_softmax-nested-cpp', ['-O1', '--bind', 'S=9']);
  const problems = [];
  const page = await open(file, problems);
  // The C++ panel after a click at the middle of node `id` of step `step` (a click on a map's triangle
  // would toggle it instead), with the ids of the tasklets of that step by label and depth.
  const clickAt = (step, id) => page.evaluate(([s, nodeId]) => {
    window.dmcView.setStep(s);
    const g = document.querySelector(`#viewport g.node[data-id="${nodeId}"]`);
    const box = g.getBoundingClientRect();
    g.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 }));
    const h = [...document.querySelectorAll('#details h3')].find((e) => e.textContent === 'C++');
    return h ? h.nextElementSibling.textContent : null;
  }, [step, id]);
  const tasklets = (step) => page.evaluate((s) => {
    const data = window.dmcView.data;
    const found = [];
    const visit = (node, parents) => {
      if (node.kind === 'tasklet') found.push({ id: node.id, label: node.label, parents });
      for (const child of node.children || []) visit(child, [...parents, node.id]);
    };
    data.graphs[data.steps[s].graph].states.forEach((state) => state.nodes.forEach((n) => visit(n, [])));
    return found;
  }, step);
  const last = (await page.evaluate(() => window.dmcView.data.steps.length)) - 1;
  // The scale by 1/sqrt(64) of samples/mlir/mha_softmax.mlir: a tasklet inside a map.
  const scale = (await tasklets(last)).find((t) => t.label === 'constant mulf');
  const scaleCpp = await clickAt(last, scale.id);
  assert.match(scaleCpp, /^const float _v\d+ = 0x1p-3f;\nconst float _v\d+ = _v\d+ \* _v\d+;\n$/, 'the tasklet: its two lines');
  const mapCpp = await clickAt(last, scale.parents.at(-1));
  assert.match(mapCpp, /^#pragma omp parallel for collapse\(3\)\nfor \(int64_t /, 'its map: the loop nest');
  assert.ok(mapCpp.includes(scaleCpp.split('\n')[1].trim()) && !mapCpp.includes('dmc-node'), 'the map holds the tasklet, no marker');
  // A tasklet two maps deep (the matmul's multiply in its reduction map): its own line only.
  const deep = (await tasklets(last)).find((t) => t.parents.length === 2 && t.label === 'mulf');
  assert.match(await clickAt(last, deep.id), /^const float _v\d+ = _v\d+ \* _v\d+;\n$/);
  // A step before resolve-write-conflicts has its own graph; the scale map is the same there, so its
  // tasklet shows the same code.
  const earlier = await page.evaluate(() => window.dmcView.data.steps.findIndex((s) => s.pass === 'expand-library-nodes'));
  assert.ok(await page.evaluate(([a, b]) => window.dmcView.data.steps[a].graph !== window.dmcView.data.steps[b].graph, [earlier, last]));
  const earlierScale = (await tasklets(earlier)).find((t) => t.label === 'constant mulf');
  assert.equal(await clickAt(earlier, earlierScale.id), scaleCpp);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the chart, the access nodes and the memlets show the movement report\'s numbers', async () => {
  const args = ['-O1', '--test-size'];
  const { page: file } = makePage(join(root, 'samples/mha.json'), 'mha-movement', args);
  // The same pipeline's report (docs/movement.md), printed by dmc compile, not by dmc view.
  const report = JSON.parse(execFileSync(dmc, ['compile', join(root, 'samples/mha.json'), ...args, '--report=movement',
    '--report-format=json', '--emit=cpp', '-o', join(out, 'mha-movement.cpp')], { cwd: root, encoding: 'utf8' }));
  const problems = [];
  const page = await open(file, problems);
  const drawn = await page.evaluate(() => {
    window.dmcView.setAll(false);
    const titles = (selector) => [...document.querySelectorAll(selector)].map((e) => e.textContent);
    return {
      chart: titles('#chart rect.chart-hit title'),
      points: document.querySelector('#chart polyline.series-moved').getAttribute('points').split(' ').length,
      access: titles('#viewport g.node[data-kind="access"] > title'),
      memlets: [...document.querySelectorAll('#viewport g.memlet')].map((g) => ({
        title: g.querySelector('title').textContent, stroke: Number(g.querySelector('path').getAttribute('stroke-width')) })),
    };
  });
  // Per pass: the bytes moved and the transient footprint, as the report has them.
  assert.deepEqual(drawn.chart, report.passes.map((p) =>
    `${p.index} ${p.pass}: moved ${formatBytes(p.moved)}, transients ${formatBytes(p.transients)}`));
  assert.equal(drawn.points, report.passes.length);
  // Access nodes: the container's kind, storage, shape and size.
  const containers = new Map(report.containers.map((c) => [c.name, c]));
  assert.ok(drawn.access.length >= containers.size);
  for (const t of drawn.access) {
    const c = containers.get(t.split(':')[0]);
    assert.ok(c && t.startsWith(`${c.name}: ${c.kind}, ${c.storage}`) && t.endsWith(`, ${c.shape}, ${formatBytes(c.size)}`), t);
  }
  // Memlets: a heavier memlet is drawn with a wider stroke (bytes read back from its title, to 3 digits).
  const units = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 };
  const weighed = drawn.memlets.map((m) => {
    const [, value, unit] = m.title.match(/moved by its node: ([\d.]+) (B|KiB|MiB|GiB)/);
    return { bytes: Number(value) * units[unit], stroke: m.stroke };
  }).sort((a, b) => a.bytes - b.bytes);
  assert.ok(weighed.at(-1).bytes > weighed[0].bytes && weighed.at(-1).stroke > weighed[0].stroke);
  for (let i = 1; i < weighed.length; i++)
    if (weighed[i].bytes > weighed[i - 1].bytes * 1.01) assert.ok(weighed[i].stroke >= weighed[i - 1].stroke, JSON.stringify(weighed[i]));
  assert.deepEqual(problems, []);
  await page.close();
});

test('text from the user\'s file stays text (a hostile path and attribute)', async () => {
  const dir = join(out, 'a</script><script>window.pwned=3</script>"\'');
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'x"\'<b>.mlir');
  copyFileSync(join(root, 'test/viewer/inputs/hostile_names.mlir'), input);
  const file = join(out, 'hostile.html');
  execFileSync(dmc, ['view', input, '-O1', '--bind', 'S=8', '-o', file]);
  const html = readFileSync(file, 'utf8');
  assert.equal(html.match(/<\/script>/g).length, 2, 'only the page\'s own two script elements end');
  const problems = [];
  const page = await open(file, problems);
  const r = await page.evaluate(() => ({
    pwned: window.pwned ?? null,
    injected: document.querySelectorAll('img, b, script').length,
    header: document.getElementById('graph-name').textContent,
    ir: window.dmcView.data.texts.some((t) => t.includes('</script><img src=x onerror=')),
  }));
  assert.equal(r.pwned, null);
  assert.equal(r.injected, 2, 'no element but the page\'s two scripts');
  assert.ok(r.header.includes('</script><script>window.pwned=3</script>"\''), 'the path is shown as text');
  assert.ok(r.ir, 'the attribute reaches the page intact');
  assert.deepEqual(problems, []);
  await page.close();
});

test('bert_encoder at -O3: the screenshot kept beside the build (docs/viewer.md)', async () => {
  const { page: file } = makePage('samples/bert_encoder.json', 'bert_encoder-O3', ['-O3']);
  const problems = [];
  const page = await open(file, problems, { width: 1600, height: 1000 });
  await page.evaluate(() => window.dmcView.setAll(false));
  await page.click('#viewport g.node[data-kind="library"] rect.shape');
  await page.evaluate(() => window.dmcView.zoomTo(0.55)); // readable: the top left of the drawing
  await page.screenshot({ path: join(out, 'bert_encoder-O3.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 12-layer encoder loads in the browser in reasonable time', async () => {
  const input = join(out, 'bert_encoder_x12.json');
  writeFileSync(input, JSON.stringify(stackedEncoder(12)));
  for (const level of ['-O1', '-O3']) {
    const file = join(out, `bert_encoder_x12${level}.html`);
    execFileSync(dmc, ['view', input, level, '-o', file]);
    const problems = [];
    const started = Date.now();
    const page = await open(file, problems);
    const wall = Date.now() - started;
    const r = await page.evaluate(() => ({ load: window.dmcView.loadMs, counts: window.dmcView.counts() }));
    // "open maps", from the click until the browser has drawn the result (two animation frames later),
    // then closing one map again the same way.
    const e = await page.evaluate(async () => {
      const drawn = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      let t = performance.now();
      document.getElementById('expand-all').click();
      await drawn();
      const ms = performance.now() - t;
      const counts = window.dmcView.counts();
      const collapsed = document.querySelectorAll('#viewport g.node.map.collapsed').length;
      t = performance.now();
      window.dmcView.toggle(document.querySelector('#viewport g.node.map.open').dataset.id);
      await drawn();
      const toggleMs = performance.now() - t;
      const data = window.dmcView.data;
      let childless = 0;
      const visit = (node) => {
        if (node.kind === 'map' && !node.children.length) childless++;
        (node.children || []).forEach(visit);
      };
      data.graphs[data.steps[window.dmcView.step].graph].states.forEach((state) => state.nodes.forEach(visit));
      return { ms, toggleMs, counts, collapsed, childless };
    });
    const nodes = (c) => c.map + c.library + c.copy + c.tasklet + c.ukernel;
    console.log(`12-layer encoder ${level}: ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB page, ready after ${wall} ms ` +
      `(page script ${r.load.toFixed(0)} ms), ${nodes(r.counts)} nodes drawn, maps collapsed; open maps: ${e.ms.toFixed(0)} ms, ` +
      `${nodes(e.counts)} nodes, ${e.counts.memletEdges} memlet edges; closing one of them: ${e.toggleMs.toFixed(0)} ms`);
    assert.equal(r.counts.library + r.counts.map > 0, true);
    assert.ok(wall < 30000, `ready after ${wall} ms`);
    // Opened: only maps without a body are drawn closed, every memlet is still drawn.
    assert.ok(e.counts.scopes > 0 && e.counts.tasklet > r.counts.tasklet);
    assert.equal(e.collapsed, e.childless);
    assert.equal(e.counts.memlets, r.counts.memlets);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('dmc bench --svg: the chart beside the table shows the table\'s numbers', async () => {
  const svg = join(out, 'bench.svg');
  const table = execFileSync(dmc, ['bench', join(root, 'samples/mha_causal.json'), '--test-size', '--levels', '0,3',
    '--repeat', '1', '--no-cache', '--svg', svg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const medians = Object.fromEntries([...table.matchAll(/^ {2}(-O\d) +([\d.]+) /gm)].map((m) => [m[1], m[2]]));
  const limit = table.match(/GEMM-bound limit \(([\d.]+) ms/)[1];
  assert.match(table, /chart: .*bench\.svg/);
  const problems = [];
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(pathToFileURL(svg).href);
  const drawn = await page.evaluate(() => ({
    bars: [...document.querySelectorAll('rect.bar title')].map((t) => t.textContent),
    limit: document.querySelector('line.gemm-bound') !== null,
    text: document.documentElement.textContent,
  }));
  assert.deepEqual(drawn.bars, Object.entries(medians).map(([level, ms]) => `${level}: ${ms} ms`));
  assert.ok(drawn.limit && drawn.text.includes(`GEMM-bound limit ${limit} ms`));
  assert.deepEqual(problems, []);
  await page.close();
});

test('source locations name the line of the node in the graph file, however it is laid out', async () => {
  // samples/mha.json with every node object over several lines, after a doc string holding "nodes": [...].
  const input = join(root, 'test/viewer/inputs/mha_indented.json');
  const file = join(out, 'mha_indented.html');
  execFileSync(dmc, ['view', input, '-O0', '--test-size', '-o', file]);
  const problems = [];
  const page = await open(file, problems);
  const locs = await page.evaluate(() => window.dmcView.data.graphs[0].states[0].nodes.map((n) => n.loc));
  const graphLines = readFileSync(input, 'utf8').split('\n');
  assert.ok(locs.length > 0);
  for (const loc of locs) {
    const [, node, line] = loc.match(/^nodes\[\d+\] '(\w+)' in .*mha_indented\.json:(\d+)$/);
    assert.equal(graphLines[Number(line) - 1].trim(), '{', loc);
    assert.ok(graphLines[Number(line)].includes(`"name": "${node}"`), loc);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad input, a bad level or no page template: a message, a non-zero exit and no page', () => {
  const page = join(out, 'never.html');
  const bad = join(out, 'bad.json');
  writeFileSync(bad, '{"name": "x"');
  const cases = [
    { args: [bad], env: {}, message: /bad\.json: error: .*invalid JSON/ },
    { args: [join(root, 'samples/mha.json'), '-O7'], env: {}, message: /-O7 does not exist/ },
    { args: [join(root, 'samples/mha.json')], env: { DMC_VIEWER_TEMPLATE: join(out, 'missing.html') },
      message: /the page template .*missing\.html: .*install-viewer-deps/ },
  ];
  for (const c of cases) {
    let failure;
    try {
      execFileSync(dmc, ['view', ...c.args, '-o', page], { env: { ...process.env, ...c.env }, stdio: 'pipe' });
    } catch (error) {
      failure = error;
    }
    assert.ok(failure && failure.status > 0, `${c.args.join(' ')} fails`);
    assert.match(failure.stderr.toString(), c.message);
    assert.throws(() => statSync(page), /ENOENT/, 'no page written');
  }
});
