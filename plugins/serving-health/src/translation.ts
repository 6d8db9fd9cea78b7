import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Every string the Serving Health UI shows, in English; an app translates them with its own message sets.
 *
 * @alpha
 */
export const servingHealthTranslationRef = createTranslationRef({
  id: 'serving-health',
  messages: {
    status: {
      overall: {
        healthy: 'Healthy',
        degraded: 'Degraded',
        failing: 'Failing',
        unknown: 'Unknown',
      },
      check: {
        pass: 'Passed',
        warn: 'Warning',
        fail: 'Failed',
        error: 'Could not run',
        skipped: 'Skipped',
        none: 'No checks',
      },
      overallLabel: 'Overall status: {{label}}',
      checkLabel: 'Status: {{label}}',
    },
    common: {
      title: 'Serving Health',
      unavailable: 'Serving Health report unavailable',
      loading: 'Loading Serving Health report',
      rerun: 'Re-run',
      rerunLabel: 'Re-run triage',
      rerunning: 'Re-running triage',
      failingStage: 'Failing stage',
    },
    content: {
      checkingPermission: 'Checking permission',
      notPermittedTitle:
        'You may not read the Serving Health report of this entity',
      notPermittedMessage:
        'The permission servingHealth.report.read is not granted to you for this entity. Ask the platform team that runs this portal.',
    },
    report: {
      subheader: 'Triage of {{entityRef}}',
      snapshot: 'Cluster snapshot:',
      unknownTime: 'unknown',
      readOnCluster: 'Read on cluster',
      kubernetesLink: 'Pods and workloads in the Kubernetes tab',
      findingsRegion: 'Failure modes found',
      howToFix: 'How to fix: {{mode}}',
      copyCommand: 'Copy command: {{step}}',
      evidenceLink: 'Evidence: {{check}}',
      aboutMode: 'About this failure mode',
      whatYouSee: 'What you see:',
      seenBy: 'Seen by: {{checks}}',
      unboundTitle: "Not shown: the target is not this entity's own",
      unboundHint:
        "Label the InferenceService with backstage.io/kubernetes-id, or ask the platform team to give the namespace to this entity's owner (servingHealth.namespaceOwners).",
      checkCount_one: '{{count}} check',
      checkCount_other: '{{count}} checks',
      noChecks: 'No checks ran in this stage.',
    },
    check: {
      couldNotRunTitle: 'This check could not run',
      couldNotRunBody:
        'Its result is neither a pass nor a fail: the read it needs was refused or failed (see the evidence). Fix that, then re-run the triage.',
      failureMode: 'Failure mode: {{title}}',
      why: 'Why it happens',
      evidence: 'Evidence',
      showEvidence_one: 'Show the evidence ({{count}} item read)',
      showEvidence_other: 'Show the evidence ({{count}} items read)',
      hideEvidence: 'Hide the evidence',
      fieldsRead: 'Fields read: {{label}}',
      howToFix: 'How to fix it',
      nothingToReport: 'Nothing to report.',
      blockedBy: 'Blocked by "{{title}}" ({{id}}), which did not pass.',
      blockedById: 'Blocked by {{id}}.',
    },
    card: {
      failureModes: 'Failure modes',
      noFailureMode: 'No failure mode found.',
      snapshot: 'Snapshot: {{time}}',
      openTriage: 'Open Serving Health triage',
    },
    catalog: {
      columnTitle: 'Serving health',
      loading: 'Loading serving health',
      unavailable: 'Serving health unavailable: {{message}}',
      filterTitle: 'Serving health',
      statusLabel: 'Serving status',
      failureModeLabel: 'Failure mode',
      any: 'Any',
    },
    endpointsCard: {
      title: 'Model endpoints',
      subheader: 'Serving health, worst first',
      endpoint: 'Endpoint',
      status: 'Status',
      failingStage: 'Failing stage',
      failureModes: 'Failure modes',
      none: 'No model endpoints whose report you may read.',
    },
    history: {
      failingSince: 'Failing since {{duration}} ago ({{time}})',
      inStateSince: '{{status}} for {{duration}} (since {{time}})',
      segment: '{{status}} from {{from}} to {{to}}',
      now: 'now',
      stripLabel: 'Status history',
      fleetTitle: 'Time in state',
      fleetEmpty: 'No fleet triage has run yet.',
      entity: 'Endpoint',
      state: 'State',
      since: 'Since',
      lastChange: 'Last change',
    },
    labelsField: {
      title: 'Labels',
      key: 'Key',
      value: 'Value',
      keyLabel: 'label key {{n}}',
      valueLabel: 'label value {{n}}',
      removeLabel: 'remove label {{n}}',
      duplicateKey: 'duplicate key `{{key}}`',
      useSuggestion: 'Use {{key}}',
      addLabel: 'Add label',
    },
  },
});
