/*
 * The `images` variable Kyverno adds to a rule's context (pkg/utils/image and the engine's image extractors):
 * for the containers, initContainers and ephemeralContainers of a Pod, or of a Pod controller's template, each
 * image reference split into registry (default docker.io), path, name, tag (default latest) and digest.
 * A scanner over the reference, no regular expression.
 */

export interface ImageInfo {
  registry: string;
  name: string;
  path: string;
  tag?: string;
  digest?: string;
  reference: string;
  referenceWithTag: string;
}

const DEFAULT_REGISTRY = 'docker.io';

/** Kyverno's GetImageInfo with the default configuration (default registry docker.io, mutation enabled). */
export function imageInfo(image: string): ImageInfo {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry =
    slash >= 0 &&
    (first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first.toLowerCase() !== first);
  const full = hasRegistry ? image : `${DEFAULT_REGISTRY}/${image}`;
  const at = full.indexOf('@');
  const digest = at < 0 ? '' : full.slice(at + 1);
  const named = at < 0 ? full : full.slice(0, at);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const repository = hasTag ? named.slice(0, colon) : named;
  let tag = hasTag ? named.slice(colon + 1) : '';
  if (!tag && !digest) tag = 'latest';
  const registry = repository.slice(0, repository.indexOf('/'));
  const path = repository.slice(repository.indexOf('/') + 1);
  const base = `${registry}/${path}`;
  return {
    registry,
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    reference: digest ? `${base}@${digest}` : `${base}:${tag}`,
    referenceWithTag: `${base}:${tag}`,
  };
}

const TEMPLATE_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicaSet',
  'ReplicationController',
];

/** `images` for a resource, or undefined when it holds no Pod spec. */
export function imageInfos(
  resource: Record<string, any> | null | undefined,
): Record<string, Record<string, ImageInfo>> | undefined {
  if (!resource) return undefined;
  let spec: Record<string, any> | undefined;
  if (resource.kind === 'Pod') spec = resource.spec;
  else if (TEMPLATE_KINDS.includes(resource.kind))
    spec = resource.spec?.template?.spec;
  else if (resource.kind === 'CronJob')
    spec = resource.spec?.jobTemplate?.spec?.template?.spec;
  if (!spec) return undefined;
  const out: Record<string, Record<string, ImageInfo>> = {};
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = Array.isArray(spec[field]) ? spec[field] : [];
    for (const c of list) {
      if (typeof c?.image !== 'string' || typeof c?.name !== 'string') continue;
      (out[field] ??= {})[c.name] = imageInfo(c.image);
    }
  }
  return Object.keys(out).length ? out : undefined;
}
