/*
 * In an app-of-apps (or ApplicationSet) repository, Argo CD applies the child Applications wave by wave
 * (`argocd.argoproj.io/sync-wave`, default 0; the same wave has no order). Kyverno admits every resource
 * once its webhooks are registered, and KServe defines InferenceService: an Application whose resources
 * they admit or define must come in a later wave than theirs, or its sync races the policy engine's
 * webhooks or KServe's CRDs.
 */
import { KubeObject } from './types';

/** @public */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * An Application or ApplicationSet of the repository, and what the repository says it deploys.
 *
 * @public
 */
export interface SyncOrderApplication {
  object: KubeObject;
  file: string;
  /** The kinds (`group/Kind`) of the resources under its source path, when that path is in the repository. */
  resourceKinds?: Set<string>;
}

/**
 * An Application the finding's infrastructure Application must precede.
 *
 * @public
 */
export interface SyncOrderDependent {
  application: SyncOrderApplication;
  /** Its wave today. */
  wave: number;
  /** Its wave once its own finding's fix is applied, when it is an infrastructure Application that moves too. */
  suggestedWave?: number;
}

/** @public */
export interface SyncOrderFinding {
  /** The infrastructure Application that must sync first. */
  application: SyncOrderApplication;
  role: 'policy-engine' | 'kserve';
  /** Its wave today. */
  wave: number;
  /**
   * The wave the fix sets. The waves of all findings of one run, applied together, satisfy the rule: KServe's
   * is below every Application that deploys serving.kserve.io resources, the policy engine's below KServe's
   * suggested wave and every other Application's.
   */
  suggestedWave: number;
  /** The Applications in the same or an earlier wave (after their own fixes) that depend on it. */
  dependents: SyncOrderDependent[];
  message: string;
  hint: string;
}

const isMap = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The Application spec an object describes (an ApplicationSet's template spec). */
function applicationSpec(obj: KubeObject): Record<string, any> {
  if (obj.kind === 'ApplicationSet') return obj.spec?.template?.spec ?? {};
  return obj.spec ?? {};
}

/** `spec.source` and `spec.sources[]`. */
export function applicationSources(
  obj: KubeObject,
): Array<Record<string, any>> {
  const spec = applicationSpec(obj);
  const sources = Array.isArray(spec.sources) ? spec.sources : [];
  return [spec.source, ...sources].filter(isMap);
}

/** @public */
export function isArgoApplication(obj: KubeObject): boolean {
  return (
    (obj.kind === 'Application' || obj.kind === 'ApplicationSet') &&
    typeof obj.apiVersion === 'string' &&
    obj.apiVersion.startsWith('argoproj.io/')
  );
}

/** The wave Argo CD gives the object: its annotation as an integer, 0 when absent or not an integer. */
export function syncWave(obj: KubeObject): number {
  const raw = obj.metadata?.annotations?.[SYNC_WAVE_ANNOTATION];
  const n = Number(String(raw ?? '').trim());
  return raw !== undefined && Number.isInteger(n) ? n : 0;
}

/** The last path segment or chart name of each source, lower-cased: what the source installs. */
function sourceNames(obj: KubeObject): string[] {
  return applicationSources(obj).flatMap(s => {
    const names: string[] = [];
    if (typeof s.chart === 'string') names.push(s.chart.toLowerCase());
    if (typeof s.path === 'string') {
      const segs = s.path.split('/').filter(Boolean);
      if (segs.length) names.push(segs[segs.length - 1].toLowerCase());
    }
    return names;
  });
}

const POLICY_ENGINE_SOURCES = new Set(['kyverno']);
const KSERVE_SOURCES = new Set([
  'kserve',
  'kserve-crd',
  'kserve-crds',
  'kserve-resources',
  'kserve-controller',
]);

/** What the Application installs, when it is one of the two the others depend on. */
export function infrastructureRole(
  app: SyncOrderApplication,
): SyncOrderFinding['role'] | undefined {
  const names = sourceNames(app.object);
  const kinds = app.resourceKinds ?? new Set<string>();
  if (
    names.some(n => POLICY_ENGINE_SOURCES.has(n)) ||
    kinds.has(
      'apiextensions.k8s.io/CustomResourceDefinition:clusterpolicies.kyverno.io',
    )
  )
    return 'policy-engine';
  if (
    names.some(n => KSERVE_SOURCES.has(n)) ||
    kinds.has(
      'apiextensions.k8s.io/CustomResourceDefinition:inferenceservices.serving.kserve.io',
    )
  )
    return 'kserve';
  return undefined;
}

const usesKServe = (app: SyncOrderApplication) =>
  [...(app.resourceKinds ?? [])].some(k => k.startsWith('serving.kserve.io/'));

const nameOf = (app: SyncOrderApplication) =>
  `${app.object.kind} \`${app.object.metadata?.name ?? '?'}\``;

const WHAT: Record<SyncOrderFinding['role'], string> = {
  'policy-engine':
    'installs the policy engine (Kyverno), which admits their resources',
  kserve:
    "installs KServe's CRDs and controller, which define their InferenceServices",
};

/**
 * `argocd-sync-order`: the Application that installs Kyverno syncs before every other Application of the
 * repository (Kyverno admits them all, KServe included), and the one that installs KServe's CRDs and
 * controller before every Application that deploys serving.kserve.io resources.
 *
 * The fixes only lower the infrastructure Applications' waves, never move a dependent: KServe's is settled
 * first, then the policy engine's against KServe's settled wave, so each hint's wave holds when all hints of
 * the run are applied together (suggesting each against today's waves sends both to the same wave, which
 * still fails).
 *
 * @public
 */
export function checkArgoSyncOrder(
  applications: SyncOrderApplication[],
): SyncOrderFinding[] {
  const apps = applications.filter(a => isArgoApplication(a.object));
  const role = new Map(apps.map(a => [a, infrastructureRole(a)]));
  const dependentsOf = (app: SyncOrderApplication) =>
    apps.filter(other => {
      if (other === app || role.get(other) === role.get(app)) return false;
      if (role.get(app) === 'policy-engine') return true;
      // Not the policy engine, even if its path holds serving.kserve.io resources: it must precede KServe.
      return role.get(other) === undefined && usesKServe(other);
    });

  const settled = new Map<SyncOrderApplication, number>();
  const waveAfterFixes = (app: SyncOrderApplication) =>
    settled.get(app) ?? syncWave(app.object);
  for (const settling of ['kserve', 'policy-engine'] as const) {
    for (const app of apps.filter(a => role.get(a) === settling)) {
      const wave = syncWave(app.object);
      const floor = Math.min(...dependentsOf(app).map(waveAfterFixes));
      settled.set(app, wave < floor ? wave : floor - 1);
    }
  }

  const findings: SyncOrderFinding[] = [];
  for (const app of apps) {
    const appRole = role.get(app);
    const suggestedWave = settled.get(app);
    const wave = syncWave(app.object);
    if (!appRole || suggestedWave === undefined || suggestedWave === wave)
      continue;
    const dependents: SyncOrderDependent[] = dependentsOf(app)
      .filter(d => waveAfterFixes(d) <= wave)
      .map(d => {
        const dWave = syncWave(d.object);
        const dSettled = waveAfterFixes(d);
        return {
          application: d,
          wave: dWave,
          ...(dSettled !== dWave ? { suggestedWave: dSettled } : {}),
        };
      });
    const moved = dependents.filter(d => d.suggestedWave !== undefined);
    findings.push({
      application: app,
      role: appRole,
      wave,
      suggestedWave,
      dependents,
      message: `${nameOf(app)} ${
        WHAT[appRole]
      }, but syncs in wave ${wave}, not before ${dependents
        .map(d =>
          d.suggestedWave === undefined
            ? `${nameOf(d.application)} (wave ${d.wave})`
            : `${nameOf(d.application)} (wave ${
                d.suggestedWave
              } once its own fix is applied)`,
        )
        .join(', ')}`,
      hint: `set \`${SYNC_WAVE_ANNOTATION}: "${suggestedWave}"\` on ${nameOf(
        app,
      )}${moved
        .map(
          d =>
            `, below the wave "${d.suggestedWave}" suggested for ${nameOf(
              d.application,
            )}`,
        )
        .join(
          '',
        )}; Argo CD waits for it only when the parent app has a health check for Applications (resource.customizations.health.argoproj.io_Application in argocd-cm)`,
    });
  }
  return findings;
}
