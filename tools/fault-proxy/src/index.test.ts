import { isListRequest } from './index';

describe('isListRequest', () => {
  it.each([
    ['GET', '/api/v1/nodes', true],
    ['GET', '/api/v1/namespaces', true],
    ['GET', '/api/v1/pods?labelSelector=a%3Db', true],
    ['GET', '/api/v1/namespaces/kserve/pods', true],
    ['GET', '/apis/apps/v1/namespaces/kserve/deployments', true],
    ['GET', '/apis/serving.kserve.io/v1beta1/inferenceservices', true],
    ['GET', '/api/v1/namespaces/kserve', false],
    ['GET', '/api/v1/namespaces/kserve/pods/p', false],
    ['GET', '/api/v1/namespaces/kserve/pods/p/log?tailLines=200', false],
    ['GET', '/apis/apps/v1/namespaces/kserve/deployments/d', false],
    ['GET', '/version', false],
    ['GET', '/api', false],
    ['GET', '/apis/apps/v1', false],
    ['POST', '/api/v1/namespaces/kserve/pods', false],
  ])('%s %s -> %s', (method, path, expected) => {
    expect(isListRequest(method, path)).toBe(expected);
  });
});
