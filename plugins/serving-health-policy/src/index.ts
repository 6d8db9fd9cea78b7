/**
 * The rules Serving Health applies before a change merges, as pure functions: Kubernetes label syntax,
 * label conventions, Kyverno policy evaluation and the kustomize lint. Shared by the scaffolder actions,
 * the CLI, the triage's `policy.labels` check and (label rules only) the browser's form field.
 *
 * @packageDocumentation
 */
export type { KubeObject } from './types';
export type {
  ValidationRuleId,
  ViolationSeverity,
  ResourceRef,
  Violation,
  NotEvaluated,
  ManifestError,
  ValidationReport,
} from './types';
export type { LabelSelector } from './labelSelector';
export { matchesLabelSelector } from './labelSelector';
export { isQualifiedName, isValidLabelValue } from './labels';
export type {
  LabelKeyStyle,
  LabelConventions,
  LabelIssue,
  CheckLabelsOptions,
} from './conventions';
export {
  DEFAULT_LABEL_CONVENTIONS,
  ConventionsFormatError,
  parseConventions,
  conventionsFromObject,
  findNearMiss,
  checkLabels,
  labelKeyNotes,
} from './conventions';
export type { ManifestDocument, ParsedManifests } from './manifests';
export {
  parseManifests,
  isKubeObject,
  resourceRef,
  expandLists,
} from './manifests';
export {
  isKustomizationDocument,
  findPatchDeletes,
  lintKustomize,
  patchFiles,
} from './kustomize';
export {
  evaluatePolicy,
  formatDenial,
  isKyvernoPolicy,
  policyRule,
} from './kyverno/policy';
export { wildcardMatch } from './kyverno/wildcard';
export type {
  RuleOutcome,
  PolicyEvaluationContext,
  AdmissionOperation,
  FailureAction,
} from './kyverno/policy';
export { resolveFailureAction } from './kyverno/failureAction';
export type { ActionResolution } from './kyverno/failureAction';
export {
  isValidatingPolicy,
  validatingPolicyAction,
} from './kyverno/validatingPolicy';
export { celErrorLine, celReferences, createCelCompiler } from './kyverno/cel';
export type { ParsedCelExpression } from './kyverno/cel';
export { reportedResults } from './kyverno/policyReport';
export {
  loadKyvernoTestSuite,
  parseKyvernoTest,
  parseKyvernoValues,
  runKyvernoTestSuite,
} from './kyverno/testSuite';
export type {
  KyvernoTestDefinition,
  KyvernoTestExpectation,
  KyvernoTestResultRow,
  KyvernoTestResultStatus,
  KyvernoTestSuiteInput,
  KyvernoTestSuiteReport,
  KyvernoTestValues,
} from './kyverno/testSuite';
export type { ReportedResult } from './kyverno/policyReport';
export {
  validateManifests,
  loadPolicies,
  summarizeReport,
  unsupportedPolicy,
} from './validateManifests';
export type {
  ManifestFile,
  PolicySource,
  RenderedKustomization,
  ValidateManifestsOptions,
} from './validateManifests';
export { renderedFileName } from './validateManifests';
export type { ObjectFinding } from './types';
export type {
  ServingRules,
  InferenceServiceComponent,
  ProbeField,
} from './servingRules';
export {
  DEFAULT_SERVING_RULES,
  ServingRulesFormatError,
  parseServingRules,
} from './servingRules';
export { checkInferenceServiceResources } from './inferenceServiceResources';
export { checkInferenceServiceProbes } from './inferenceServiceProbes';
export { isInferenceService } from './inferenceServiceContainers';
export type {
  SyncOrderApplication,
  SyncOrderDependent,
  SyncOrderFinding,
} from './argocdSyncOrder';
export {
  checkArgoSyncOrder,
  isArgoApplication,
  SYNC_WAVE_ANNOTATION,
} from './argocdSyncOrder';
export type {
  HelmChart,
  HelmDependency,
  HelmValuesResult,
  UndefinedValue,
} from './helmValuesPath';
export { checkHelmValues } from './helmValuesPath';
export { loadHelmCharts } from './helmCharts';
export { kustomizationRoots } from './kustomize';
export { policiesWithoutFailingCase } from './kyverno/testCoverage';
