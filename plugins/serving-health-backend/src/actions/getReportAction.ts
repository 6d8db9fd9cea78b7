import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { TriageService } from '../services/TriageService';
import { TriageHistoryStore } from '../database/TriageHistoryStore';

/**
 * `get-serving-health-report`: why an entity's model endpoint is broken, for AI assistants. Runs as the caller:
 * the catalog and the `servingHealth.report.read` permission decide, as for the REST route.
 */
export function registerGetReportAction(options: {
  actionsRegistry: ActionsRegistryService;
  triage: TriageService;
  history: TriageHistoryStore;
}) {
  const { triage, history } = options;
  options.actionsRegistry.register({
    name: 'get-serving-health-report',
    title: 'Get the Serving Health report of a model endpoint',
    description:
      'Triages the KServe model endpoint of a catalog entity (deployed through Argo CD) and says why it is broken: ' +
      'the overall status, each failure mode with the failing check, its finding, evidence and fix, and since when ' +
      'it has been in that state. Use it when asked why an endpoint or model is failing, degraded or not serving.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'Entity ref of the model endpoint, e.g. component:default/fraud-model',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          overall: z.enum(['healthy', 'degraded', 'failing', 'unknown']),
          failingStage: z.string().optional(),
          failureModes: z.array(
            z.object({ id: z.string(), title: z.string() }),
          ),
          findings: z
            .array(
              z.object({
                check: z.string(),
                status: z.string(),
                summary: z.string(),
                fix: z.array(
                  z.object({
                    text: z.string(),
                    command: z.string().optional(),
                  }),
                ),
              }),
            )
            .describe('Checks that did not pass, worst first'),
          since: z
            .string()
            .optional()
            .describe(
              'ISO time it entered this status, as the fleet triage saw it',
            ),
          generatedAt: z.string(),
        }),
    },
    examples: [
      {
        title: 'Why is the fraud model failing?',
        input: { entityRef: 'component:default/fraud-model' },
      },
    ],
    async action({ input, credentials }) {
      const report = await triage.report(input.entityRef, { credentials });
      const state = await history.state(report.entityRef);
      const rank = { fail: 0, error: 1, warn: 2 } as Record<string, number>;
      const findings = report.checks
        .filter(c => c.status in rank)
        .sort((a, b) => rank[a.status] - rank[b.status])
        .map(c => ({
          check: c.id,
          status: c.status,
          summary: c.summary,
          fix: (c.remediation?.steps ?? []).map(s => ({
            text: s.text,
            ...(s.command ? { command: s.command } : {}),
          })),
        }));
      return {
        output: {
          entityRef: report.entityRef,
          overall: report.overall,
          ...(report.failingStage ? { failingStage: report.failingStage } : {}),
          failureModes: report.failureModes.map(m => ({
            id: m.id,
            title: m.title,
          })),
          findings,
          ...(state && state.overall === report.overall
            ? { since: state.since }
            : {}),
          generatedAt: report.generatedAt,
        },
      };
    },
  });
}
