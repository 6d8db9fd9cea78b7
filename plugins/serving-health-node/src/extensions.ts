import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { TriageCheck } from '@serving-health/plugin-serving-health-common';
import {
  ServingHealthClusterClients,
  ServingHealthClusterSupplier,
} from './clusters/types';
import {
  ServingHealthReportStore,
  ServingHealthSnapshotSource,
} from './seams/types';

/**
 * Lets a backend module add checks to the triage.
 *
 * @public
 */
export interface ServingHealthChecksExtensionPoint {
  /** Adds a check; it runs in the stage it names, after the built-in checks of that stage. Ids are unique. */
  addCheck(check: TriageCheck): void;
}

/** @public */
export const servingHealthChecksExtensionPoint =
  createExtensionPoint<ServingHealthChecksExtensionPoint>({
    id: 'serving-health.checks',
  });

/**
 * An implementation, or a factory that may wrap the default one.
 *
 * @public
 */
export type ServingHealthFactory<T, Deps = {}> =
  | T
  | ((options: Deps & { getDefault(): Promise<T> }) => Promise<T>);

/**
 * Replaces where clusters come from (the default reads `kubernetes.clusterLocatorMethods` and
 * `servingHealth.clusters`).
 *
 * @public
 */
export interface ServingHealthClusterSupplierExtensionPoint {
  setClusterSupplier(
    supplier: ServingHealthFactory<ServingHealthClusterSupplier>,
  ): void;
}

/** @public */
export const servingHealthClusterSupplierExtensionPoint =
  createExtensionPoint<ServingHealthClusterSupplierExtensionPoint>({
    id: 'serving-health.cluster-supplier',
  });

/**
 * Replaces how snapshots are kept (the default: LIST per TTL, single-flight).
 *
 * @public
 */
export interface ServingHealthSnapshotSourceExtensionPoint {
  setSnapshotSource(
    source: ServingHealthFactory<
      ServingHealthSnapshotSource,
      { clusters: ServingHealthClusterClients }
    >,
  ): void;
}

/** @public */
export const servingHealthSnapshotSourceExtensionPoint =
  createExtensionPoint<ServingHealthSnapshotSourceExtensionPoint>({
    id: 'serving-health.snapshot-source',
  });

/**
 * Replaces where finished reports are kept (the default: the backend's cache service).
 *
 * @public
 */
export interface ServingHealthReportStoreExtensionPoint {
  setReportStore(store: ServingHealthFactory<ServingHealthReportStore>): void;
}

/** @public */
export const servingHealthReportStoreExtensionPoint =
  createExtensionPoint<ServingHealthReportStoreExtensionPoint>({
    id: 'serving-health.report-store',
  });
