import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { c as createTar } from 'tar';
import { readChartArchive } from './readChartArchive';

describe('readChartArchive', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-archive-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };

  it('reads Chart.yaml, values.yaml and values.schema.json under charts/<name>/, nothing else', () => {
    write('src/redis/Chart.yaml', 'name: redis\n');
    write('src/redis/values.yaml', 'master: {}\n');
    write('src/redis/values.schema.json', '{}');
    write('src/redis/templates/values.yaml.tpl', '{{ . }}');
    write('src/redis/README.md', '# redis');
    const archive = path.join(dir, 'redis-19.0.0.tgz');
    createTar({ gzip: true, file: archive, cwd: path.join(dir, 'src'), sync: true }, ['redis']);

    const files = readChartArchive(archive, 'charts/app/charts/redis-19.0.0.tgz');
    expect(files.map(f => f.path).sort()).toEqual([
      'charts/app/charts/redis/Chart.yaml',
      'charts/app/charts/redis/values.schema.json',
      'charts/app/charts/redis/values.yaml',
    ]);
    expect(files.find(f => f.path.endsWith('values.yaml'))?.content).toBe('master: {}\n');
  });

  it('never takes an entry whose path climbs out of the archive', () => {
    write('outside/values.yaml', 'evil: true\n');
    write('inner/redis/Chart.yaml', 'name: redis\n');
    const archive = path.join(dir, 'evil.tgz');
    createTar(
      { gzip: true, file: archive, cwd: path.join(dir, 'inner'), sync: true, preservePaths: true },
      ['redis', '../outside/values.yaml'],
    );
    expect(readChartArchive(archive, 'charts/evil.tgz').map(f => f.path)).toEqual([
      'charts/redis/Chart.yaml',
    ]);
  });
});
