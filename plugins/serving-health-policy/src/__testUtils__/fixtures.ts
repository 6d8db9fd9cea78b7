import fs from 'fs';
import path from 'path';
import { ManifestFile } from '../validateManifests';

const FIXTURES = path.join(__dirname, '../__fixtures__');

/** Fixture files as the validators receive them: paths relative to `__fixtures__`. */
export function fixtureFiles(...relPaths: string[]): ManifestFile[] {
  const out: ManifestFile[] = [];
  const add = (rel: string) => {
    const abs = path.join(FIXTURES, rel);
    if (fs.statSync(abs).isDirectory()) {
      for (const entry of fs.readdirSync(abs).sort())
        add(path.posix.join(rel, entry));
    } else {
      out.push({ path: rel, content: fs.readFileSync(abs, 'utf8') });
    }
  };
  relPaths.forEach(add);
  return out;
}
