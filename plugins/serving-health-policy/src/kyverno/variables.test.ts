import { NotEvaluatedError } from './jmespath';
import { substituteAll } from './variables';

const ctx = {
  request: {
    operation: 'CREATE',
    object: {
      metadata: {
        name: 'web',
        labels: { team: 'ml' },
        annotations: { t: '{{ request.operation }}' },
      },
      spec: { replicas: 3 },
    },
  },
};

describe('substituteAll', () => {
  it('returns the value itself for a whole-string variable and prints it into longer strings', () => {
    expect(substituteAll(ctx, '{{ request.object.spec.replicas }}')).toBe(3);
    expect(substituteAll(ctx, 'n={{ request.object.spec.replicas }}')).toBe(
      'n=3',
    );
    expect(
      substituteAll(ctx, 'labels: {{ request.object.metadata.labels }}'),
    ).toBe('labels: {"team":"ml"}');
  });

  it('substitutes a variable found in a substituted string again, unless shallow ({{- }})', () => {
    expect(
      substituteAll(ctx, '{{ request.object.metadata.annotations.t }}!'),
    ).toBe('CREATE!');
    expect(
      substituteAll(ctx, '{{- request.object.metadata.annotations.t }}!'),
    ).toBe('{{ request.operation }}!');
  });

  it('keeps escaped variables as text', () => {
    expect(substituteAll(ctx, '\\{{ request.operation }} stays')).toBe(
      '{{ request.operation }} stays',
    );
  });

  it('substitutes keys: a string is the new key, a null keeps the old one, anything else is an error', () => {
    expect(
      substituteAll(ctx, { '{{ request.object.metadata.name }}': 1 }),
    ).toEqual({ web: 1 });
    expect(
      substituteAll(ctx, { '{{ request.object.spec.none || null }}': 1 }),
    ).toEqual({
      '{{ request.object.spec.none || null }}': 1,
    });
    expect(() =>
      substituteAll(ctx, { '{{ request.object.spec.replicas }}': 1 }),
    ).toThrow(
      'expected string after substituting variables in key "{{ request.object.spec.replicas }}"',
    );
  });

  it('leaves the requester to Kyverno', () => {
    expect(() => substituteAll(ctx, '{{ request.userInfo.username }}')).toThrow(
      NotEvaluatedError,
    );
  });
});
