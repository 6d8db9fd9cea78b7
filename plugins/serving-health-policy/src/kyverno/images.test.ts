/* Image references split as Kyverno's pkg/utils/image does (cases of its infos_test.go). */
import { imageInfo, imageInfos } from './images';

describe('imageInfo', () => {
  it.each([
    ['nginx', 'docker.io/nginx:latest', 'docker.io/nginx:latest'],
    ['nginx:v10.3', 'docker.io/nginx:v10.3', 'docker.io/nginx:v10.3'],
    [
      'docker.io/test/nginx:v10.3',
      'docker.io/test/nginx:v10.3',
      'docker.io/test/nginx:v10.3',
    ],
    [
      'test/nginx',
      'docker.io/test/nginx:latest',
      'docker.io/test/nginx:latest',
    ],
    [
      'localhost:4443/test/nginx',
      'localhost:4443/test/nginx:latest',
      'localhost:4443/test/nginx:latest',
    ],
    [
      'test/centos@sha256:dead07b4d8ed7e29e98de0f4504d87e8880d4347859d839686a31da35a3b532f',
      'docker.io/test/centos@sha256:dead07b4d8ed7e29e98de0f4504d87e8880d4347859d839686a31da35a3b532f',
      'docker.io/test/centos:',
    ],
  ])('%s', (image, reference, referenceWithTag) => {
    expect(imageInfo(image)).toMatchObject({ reference, referenceWithTag });
  });

  it('names registry, path, name and tag', () => {
    expect(imageInfo('ghcr.io/kyverno/kyverno:v1.13.4')).toEqual({
      registry: 'ghcr.io',
      path: 'kyverno/kyverno',
      name: 'kyverno',
      tag: 'v1.13.4',
      reference: 'ghcr.io/kyverno/kyverno:v1.13.4',
      referenceWithTag: 'ghcr.io/kyverno/kyverno:v1.13.4',
    });
  });
});

describe('imageInfos', () => {
  it("reads a Pod controller's template, by container name", () => {
    const images = imageInfos({
      kind: 'Deployment',
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', image: 'nginx:1.25' }],
            initContainers: [{ name: 'init', image: 'busybox' }],
          },
        },
      },
    });
    expect(images?.containers.app.registry).toBe('docker.io');
    expect(images?.initContainers.init.tag).toBe('latest');
    expect(imageInfos({ kind: 'ConfigMap', data: {} })).toBeUndefined();
  });
});
