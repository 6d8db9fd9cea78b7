export * from './types';
export * from './labels';
export * from './conventions';
export * from './manifests';
export * from './kustomize';
export { wildcardMatch } from './kyverno/wildcard';
export {
  parseQuantity,
  compareQuantities,
  parseDuration,
} from './kyverno/quantity';
export { validateValueWithPattern } from './kyverno/value';
export { matchPattern, parseAnchor } from './kyverno/pattern';
export type { PatternResult, Anchor, AnchorType } from './kyverno/pattern';
export {
  kindMatches,
  parseKindSelector,
  selectorMatches,
  ruleMatches,
} from './kyverno/match';
export type { Decision, MatchContext, MatchBlock } from './kyverno/match';
export {
  evaluatePolicy,
  autogenRules,
  formatDenial,
  isClusterScoped,
  isKyvernoPolicy,
  isUnsupportedPolicyKind,
} from './kyverno/policy';
export type {
  RuleOutcome,
  FailureAction,
  PolicyEvaluationContext,
} from './kyverno/policy';
export {
  validateManifests,
  loadPolicies,
  summarizeReport,
  unsupportedPolicy,
} from './validateManifests';
export type {
  ManifestFile,
  PolicySource,
  ValidateManifestsOptions,
} from './validateManifests';
