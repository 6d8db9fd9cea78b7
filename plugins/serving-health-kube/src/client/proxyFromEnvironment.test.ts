import { proxyFromEnvironment } from './proxyFromEnvironment';

const url = (u: string) => new URL(u);
const PROXY = 'http://proxy.corp:3128';

describe('proxyFromEnvironment', () => {
  it('uses HTTPS_PROXY, or https_proxy, for an API server', () => {
    expect(proxyFromEnvironment(url('https://k8s.prod.corp:6443'), { HTTPS_PROXY: PROXY })).toBe(PROXY);
    expect(proxyFromEnvironment(url('https://k8s.prod.corp:6443'), { https_proxy: PROXY })).toBe(PROXY);
    expect(proxyFromEnvironment(url('https://k8s.prod.corp:6443'), {})).toBeUndefined();
  });

  it('honours NO_PROXY: the host, a domain suffix, a port, or *', () => {
    const at = (host: string, NO_PROXY: string) =>
      proxyFromEnvironment(url(`https://${host}:6443`), { HTTPS_PROXY: PROXY, NO_PROXY });
    expect(at('k8s.prod.corp', 'k8s.prod.corp')).toBeUndefined();
    expect(at('k8s.prod.corp', '.corp')).toBeUndefined();
    expect(at('k8s.prod.corp', 'prod.corp')).toBeUndefined();
    expect(at('k8s.prod.corp', '*.corp')).toBeUndefined();
    expect(at('k8s.prod.corp', 'k8s.prod.corp:6443')).toBeUndefined();
    expect(at('k8s.prod.corp', 'k8s.prod.corp:443')).toBe(PROXY);
    expect(at('k8s.prod.corp', 'other.corp, example.com')).toBe(PROXY);
    expect(at('notcorp', 'corp')).toBe(PROXY);
    expect(at('k8s.prod.corp', '*')).toBeUndefined();
    expect(
      proxyFromEnvironment(url('https://k8s.prod.corp:6443'), { HTTPS_PROXY: PROXY, no_proxy: '.corp' }),
    ).toBeUndefined();
  });

  it('never proxies loopback addresses', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) {
      expect(proxyFromEnvironment(url(`https://${host}:6443`), { HTTPS_PROXY: PROXY })).toBeUndefined();
    }
  });
});
