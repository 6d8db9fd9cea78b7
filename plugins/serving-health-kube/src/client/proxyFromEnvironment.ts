const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/**
 * The proxy the standard environment variables give for an API server URL: `HTTPS_PROXY` (or `https_proxy`)
 * unless `NO_PROXY` (or `no_proxy`) names the host: `*`, the host itself, or a domain suffix (`.corp`,
 * `corp`), optionally with the port. Loopback addresses are never proxied. Undefined when no proxy applies.
 *
 * @public
 */
export function proxyFromEnvironment(
  url: URL,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const proxy = env.HTTPS_PROXY || env.https_proxy;
  if (!proxy) return undefined;
  const host = url.hostname.toLowerCase();
  if (LOOPBACK.test(host)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(',')
    .map(e => e.trim().toLowerCase())
    .filter(Boolean);
  const excluded = noProxy.some(entry => {
    if (entry === '*') return true;
    const [name, entryPort] = entry.split(':');
    if (entryPort && entryPort !== port) return false;
    const domain = name.replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
  return excluded ? undefined : proxy;
}
