// Bundles the page of `dmc view` into one HTML template: src/main.js and its imports (the layout library
// @dagrejs/dagre among them) bundled by esbuild, and src/style.css, inlined into src/page.html. dmc view
// then puts its data in place of @DMC_VIEW_DATA@ (compiler/dmc/View.cpp).
//   node viewer/build.mjs OUT.html
import { build } from 'esbuild';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node viewer/build.mjs OUT.html');
  process.exit(2);
}
const bundle = await build({
  entryPoints: [join(here, 'src/main.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  write: false,
  legalComments: 'inline',
});
const js = bundle.outputFiles[0].text;
const css = readFileSync(join(here, 'src/style.css'), 'utf8');
// The bundle sits in a <script> element: it must not end it, nor hold the data placeholder.
for (const [what, text] of [['the bundle', js], ['the style sheet', css]]) {
  if (/<\/(script|style)/i.test(text) || text.includes('@DMC_VIEW_DATA@')) {
    console.error(`build.mjs: ${what} contains </script>, </style> or the data placeholder`);
    process.exit(1);
  }
}
const page = readFileSync(join(here, 'src/page.html'), 'utf8')
  .replace('/*@DMC_VIEW_CSS@*/', () => css)
  .replace('/*@DMC_VIEW_JS@*/', () => js);
if (page.split('@DMC_VIEW_DATA@').length !== 2) {
  console.error('build.mjs: the page must hold the data placeholder exactly once');
  process.exit(1);
}
writeFileSync(`${out}.tmp`, page);
renameSync(`${out}.tmp`, out);
console.log(`build.mjs: ${out} (${(page.length / 1024).toFixed(0)} KiB)`);
