#!/usr/bin/env node
// What Serving Health costs in the app's browser bundle, from the source maps of `yarn workspace app build`:
// bytes of minified JS per source group, for the chunks the app loads at start (main and its initial chunks)
// and for the chunks loaded later (lazy `import()`), and which chunk holds the Kyverno evaluator.
// Usage: node scripts/bundle-size.js [packages/app/dist]
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { SourceMapConsumer } = require('source-map');

const dist = path.resolve(process.argv[2] ?? 'packages/app/dist');
const staticDir = path.join(dist, 'static');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/static\/([^"']+\.js)/g)].map(m => m[1]),
);

const GROUPS = [
  ['frontend plugin', /plugins\/serving-health\/src\//],
  ['-common', /plugins\/serving-health-common\/src\//],
  [
    '-policy: Kyverno evaluator',
    /plugins\/serving-health-policy\/src\/kyverno\//,
  ],
  [
    '-policy: label rules and the rest',
    /plugins\/serving-health-policy\/src\//,
  ],
  ['cel-js', /node_modules\/@marcbachmann\/cel-js\//],
  ['JMESPath', /node_modules\/@jmespath-community\/jmespath\//],
  ['re2js', /node_modules\/re2js\//],
  // yaml is not listed: the app bundles it anyway (Backstage's own), once, whoever imports it.
];
const kB = n => `${(n / 1000).toFixed(1)} kB`;
const groupOf = source => GROUPS.find(([, re]) => re.test(source))?.[0];

/** Bytes of generated code per source of one chunk: each mapping counts up to the next one on its line. */
function bytesBySource(file) {
  const code = fs.readFileSync(path.join(staticDir, file), 'utf8').split('\n');
  const map = JSON.parse(
    fs.readFileSync(path.join(staticDir, `${file}.map`), 'utf8'),
  );
  const consumer = new SourceMapConsumer(map);
  const mappings = [];
  consumer.eachMapping(m => mappings.push(m));
  const bytes = new Map();
  mappings.forEach((m, i) => {
    if (!m.source) return;
    const next = mappings[i + 1];
    const end =
      next && next.generatedLine === m.generatedLine
        ? next.generatedColumn
        : code[m.generatedLine - 1]?.length ?? m.generatedColumn;
    bytes.set(m.source, (bytes.get(m.source) ?? 0) + end - m.generatedColumn);
  });
  return bytes;
}

const totals = { initial: new Map(), lazy: new Map() };
/** Lazy chunks holding the evaluator or its libraries: what a form with `ui:options.kyverno` loads. */
const evaluatorChunks = [];
const EVALUATOR_GROUPS = [
  '-policy: Kyverno evaluator',
  'cel-js',
  'JMESPath',
  're2js',
];
for (const file of fs.readdirSync(staticDir)) {
  if (
    !file.endsWith('.js') ||
    !fs.existsSync(path.join(staticDir, `${file}.map`))
  )
    continue;
  const where = initial.has(file) ? 'initial' : 'lazy';
  let found = false;
  for (const [source, n] of bytesBySource(file)) {
    const group = groupOf(source);
    if (!group) continue;
    totals[where].set(group, (totals[where].get(group) ?? 0) + n);
    if (EVALUATOR_GROUPS.includes(group)) found = true;
  }
  if (found) {
    const content = fs.readFileSync(path.join(staticDir, file));
    evaluatorChunks.push(
      `${file} (${where}): ${kB(content.length)}, ${kB(
        zlib.gzipSync(content, { level: 9 }).length,
      )} gzipped`,
    );
  }
}
for (const where of ['initial', 'lazy']) {
  const rows = [...totals[where]].sort((a, b) => b[1] - a[1]);
  const sum = rows.reduce((s, [, n]) => s + n, 0);
  console.log(
    `${where} chunks: ${kB(sum)} of Serving Health code and its libraries`,
  );
  for (const [group, n] of rows) console.log(`  ${group.padEnd(36)} ${kB(n)}`);
}
console.log('chunks with the Kyverno evaluator or its libraries:');
for (const c of evaluatorChunks.length ? evaluatorChunks : ['none'])
  console.log(`  ${c}`);
