/*
 * PolicyReports and ClusterPolicyReports (wgpolicyk8s.io/v1alpha2): what Kyverno's own engine concluded about live
 * objects in its background scans and at admission. From Kyverno 1.10 a report covers one resource (`scope`);
 * older reports list the resources of each result (`results[].resources`). Only Kyverno's results count here
 * (source `kyverno`, or `Kyverno<Kind>` for its CEL policies).
 */
import { KubeObject } from '../types';
import { groupVersion } from './match';

/** @public */
export interface ReportedResult {
  /** The report, as `<namespace>/<name>` (or `<name>` for a ClusterPolicyReport). */
  report: string;
  /** The policy as the report names it: `<name>`, or `<namespace>/<name>` for a namespaced Policy. */
  policy: string;
  rule: string;
  result: string;
  message: string;
  source: string;
}

interface ObjectRef {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

const isKyvernoSource = (source: unknown) =>
  source === undefined ||
  source === 'kyverno' ||
  (typeof source === 'string' && source.startsWith('Kyverno'));

function refersTo(ref: ObjectRef | undefined, object: KubeObject): boolean {
  if (!ref || ref.kind !== object.kind || ref.name !== object.metadata.name)
    return false;
  if ((ref.namespace ?? '') !== (object.metadata.namespace ?? '')) return false;
  if (ref.apiVersion && object.apiVersion) {
    if (
      groupVersion(ref.apiVersion).group !==
      groupVersion(object.apiVersion).group
    )
      return false;
  }
  // A report about an earlier object of the same name (deleted and created again) is not about this one.
  const uid = object.metadata.uid;
  return !(ref.uid && typeof uid === 'string' && uid && ref.uid !== uid);
}

/**
 * The Kyverno results that the given reports hold about one object.
 *
 * @public
 */
export function reportedResults(
  reports: KubeObject[],
  object: KubeObject,
): ReportedResult[] {
  const out: ReportedResult[] = [];
  for (const report of reports) {
    const scoped = refersTo(report.scope, object);
    for (const r of (report.results ?? []) as any[]) {
      if (!r || !isKyvernoSource(r.source)) continue;
      if (
        !scoped &&
        !((r.resources ?? []) as ObjectRef[]).some(ref => refersTo(ref, object))
      )
        continue;
      out.push({
        report: report.metadata.namespace
          ? `${report.metadata.namespace}/${report.metadata.name}`
          : report.metadata.name,
        policy: String(r.policy ?? ''),
        rule: String(r.rule ?? ''),
        result: String(r.result ?? ''),
        message: String(r.message ?? ''),
        source: String(r.source ?? 'kyverno'),
      });
    }
  }
  return out;
}
