import { celReferences, evaluateCel, toCel } from './cel';

const object = toCel({
  metadata: { name: 'fraud', labels: { owner: 'a', 'cost-center': 'cc' } },
  spec: { predictor: { minReplicas: 2 } },
});

describe('evaluateCel', () => {
  it('evaluates Kubernetes-style expressions: has, in, macros, optional fields, int arithmetic', () => {
    for (const expression of [
      "has(object.metadata.labels) && 'cost-center' in object.metadata.labels",
      'object.metadata.labels.all(k, k == k.lowerAscii())',
      "object.metadata.?annotations.?team.orValue('none') == 'none'",
      'object.spec.predictor.minReplicas + 1 == 3',
      "object.metadata.name.startsWith('fr') && object.metadata.name.size() == 5",
    ]) {
      expect([expression, evaluateCel(expression, { object })]).toEqual([
        expression,
        { ok: true, value: true },
      ]);
    }
    expect(evaluateCel("'team' in object.metadata.labels", { object })).toEqual(
      {
        ok: true,
        value: false,
      },
    );
  });

  it('cannot decide extension functions, unknown variables, missing fields or bad syntax', () => {
    for (const expression of [
      "quantity('1Gi').isGreaterThan(quantity('1Mi'))",
      "url('https://x').getHost() == 'x'",
      "authorizer.group('').resource('pods').check('get').allowed()",
      'object.metadata.annotations.team == "x"',
      'object.metadata.name ==',
    ]) {
      const r = evaluateCel(expression, { object });
      expect([expression, r.ok]).toEqual([expression, false]);
    }
  });

  it('reads keys that are names of object properties as data (constructor, toString)', () => {
    const labelled = toCel({ metadata: { labels: { constructor: 'team-a' } } });
    expect(
      evaluateCel("object.metadata.labels['constructor'] == 'team-a'", {
        object: labelled,
      }),
    ).toEqual({ ok: true, value: true });
    expect(
      evaluateCel("'toString' in object.metadata.labels", { object: labelled }),
    ).toEqual({ ok: true, value: false });
  });

  it('never runs a regular expression on cluster data', () => {
    expect(
      evaluateCel("object.metadata.name.matches('^(a+)+$')", { object }),
    ).toEqual({
      ok: false,
      reason: expect.stringContaining('matches()'),
    });
  });
});

describe('celReferences', () => {
  it('lists the variables, fields and map keys an expression reads', () => {
    const refs = celReferences(
      "'cost-center' in variables.labels && object.metadata.labels['owner'].matches('^t-') && object.metadata.name != 'x'",
    );
    expect([...refs.variables]).toEqual(['labels']);
    expect(refs.fields.has('labels')).toBe(true);
    expect(refs.keys).toEqual(['cost-center', 'owner']);
  });
});
