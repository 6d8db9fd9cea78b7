import { isKubeObject, parseManifests, resourceRef } from './manifests';
import { fixtureFiles } from './__testUtils__/fixtures';

describe('parseManifests', () => {
  it('reads every document of a multi-document file with its starting line', () => {
    const { documents, errors } = parseManifests(
      'a: 1\n---\n# comment\nb: 2\n---\n',
      'x.yaml',
    );
    expect(errors).toEqual([]);
    expect(documents.map(d => [d.data, d.line])).toEqual([
      [{ a: 1 }, 1],
      [{ b: 2 }, 4],
    ]);
  });

  it('reports malformed YAML with the file, line and column, and yields no documents', () => {
    const [file] = fixtureFiles('manifests/malformed.yaml.txt');
    const { documents, errors } = parseManifests(file.content, file.path);
    expect(documents).toEqual([]);
    expect(errors[0]).toMatchObject({
      file: 'manifests/malformed.yaml.txt',
      line: 6,
      column: 12,
    });
    expect(errors[0].message).toBeTruthy();
  });

  it('reads JSON too', () => {
    const { documents } = parseManifests(
      '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}',
      'x.json',
    );
    expect(isKubeObject(documents[0].data)).toBe(true);
  });

  it('finds the line of a nested key, or of its deepest existing parent', () => {
    const [file] = fixtureFiles('manifests/model-endpoint-costCenter.yaml');
    const [doc] = parseManifests(file.content, file.path).documents;
    expect(doc.lineOf(['metadata', 'labels', 'costCenter'])).toBe(9);
    expect(doc.lineOf(['metadata', 'labels', 'cost-center'])).toBe(7);
  });

  it('rejects duplicate keys, as the API server does', () => {
    expect(parseManifests('a: 1\na: 2\n', 'dup.yaml').errors[0]).toMatchObject({
      line: 2,
    });
  });
});

describe('resourceRef', () => {
  it('takes apiVersion, kind, namespace and name', () => {
    expect(
      resourceRef({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', namespace: 'y' },
      }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'x',
      namespace: 'y',
    });
  });
});
