/** One finding as code scanning shows it. */
export interface SarifFinding {
  ruleId: string;
  level: 'error' | 'warning' | 'note';
  message: string;
  /** Repository-relative path of the file the finding is in. */
  file?: string;
  line?: number;
}

export interface SarifRule {
  id: string;
  description: string;
}

/** A file path as a SARIF relative URI reference: `/`-separated, each segment percent-encoded. */
const toUri = (file: string) =>
  file.split('/').map(encodeURIComponent).join('/');

/**
 * A SARIF 2.1.0 log with one run of `serving-health` (what GitHub code scanning uploads): the rules that
 * produced findings, and each finding with its file and line.
 */
export function toSarif(
  command: string,
  rules: SarifRule[],
  findings: SarifFinding[],
) {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'serving-health',
            informationUri: 'https://backstage.io/',
            rules: rules.map(r => ({
              id: r.id,
              shortDescription: { text: r.description },
            })),
          },
        },
        automationDetails: { id: `serving-health/${command}/` },
        results: findings.map(f => ({
          ruleId: f.ruleId,
          ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
          level: f.level,
          message: { text: f.message },
          ...(f.file
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: toUri(f.file) },
                      ...(f.line ? { region: { startLine: f.line } } : {}),
                    },
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
}
