#!/usr/bin/env node
// Every @backstage/* package installed must be the one version of the Backstage
// release in backstage.json: two copies of plugin-catalog-react (or of
// filter-predicates) mean two React contexts and extensions typed against the
// wrong one. The release set is pinned in the root package.json "resolutions"
// (taken from @backstage/create-app of that release, whose template lists it,
// because `backstage-cli versions:bump` cannot reach the release manifests from
// every network). Exits 1 naming each package that is off the set.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const release = JSON.parse(
  fs.readFileSync(path.join(root, 'backstage.json'), 'utf8'),
).version;
const pinned =
  JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
    .resolutions ?? {};
const lock = fs.readFileSync(path.join(root, 'yarn.lock'), 'utf8');

// yarn.lock (v8): `"@scope/name@npm:range, ...":` followed by `  version: x.y.z`.
const installed = new Map();
let current;
for (const line of lock.split('\n')) {
  if (line.startsWith('"@backstage/')) {
    const spec = line.slice(1, line.indexOf('@', 2));
    current = line.includes('@workspace:') ? undefined : spec;
  } else if (current && line.startsWith('  version: ')) {
    const versions = installed.get(current) ?? new Set();
    versions.add(line.slice('  version: '.length).trim());
    installed.set(current, versions);
    current = undefined;
  } else if (!line.startsWith(' ')) {
    current = undefined;
  }
}

const problems = [];
for (const [name, versions] of [...installed].sort()) {
  const want = pinned[name];
  if (versions.size > 1) {
    problems.push(
      `${name}: ${versions.size} versions installed (${[...versions].join(
        ', ',
      )})`,
    );
  } else if (!want) {
    problems.push(
      `${name}: ${
        [...versions][0]
      } installed but not pinned in package.json "resolutions"`,
    );
  } else if (!versions.has(want)) {
    problems.push(
      `${name}: ${[...versions][0]} installed, the release set pins ${want}`,
    );
  }
}

if (problems.length) {
  console.error(
    `@backstage/* packages off the Backstage ${release} release set:\n  ${problems.join(
      '\n  ',
    )}`,
  );
  process.exit(1);
}
console.log(
  `${installed.size} @backstage/* packages, one version each, all on the Backstage ${release} release set`,
);
