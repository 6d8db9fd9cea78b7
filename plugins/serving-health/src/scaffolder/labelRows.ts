import {
  checkLabels,
  DEFAULT_LABEL_CONVENTIONS,
  isQualifiedName,
  LabelConventions,
  LabelIssue,
  LabelKeyStyle,
  labelKeyNotes,
} from '@serving-health/plugin-serving-health-policy';
import type { LabelsFieldKyvernoOptions } from './kyverno';

/**
 * `ui:options` of the ServingHealthLabels field; unset fields fall back to the default conventions.
 *
 * @public
 */
export type LabelsFieldOptions = {
  requiredLabels?: string[];
  keyStyle?: LabelKeyStyle;
  exemptPrefixes?: string[];
  /** Also evaluate this cluster's Kyverno policies, in the browser, on the resource the labels go to. */
  kyverno?: LabelsFieldKyvernoOptions;
};

export interface LabelRow {
  id: number;
  key: string;
  value: string;
}

export interface RowFindings {
  keyIssues: LabelIssue[];
  valueIssues: LabelIssue[];
  /** Informational (reserved prefixes); never blocks. */
  notes: string[];
  duplicate: boolean;
}

export function conventionsFor(
  options: LabelsFieldOptions | undefined,
): LabelConventions {
  return {
    ...DEFAULT_LABEL_CONVENTIONS,
    ...(options?.requiredLabels
      ? { requiredLabels: options.requiredLabels }
      : {}),
    ...(options?.keyStyle ? { keyStyle: options.keyStyle } : {}),
    ...(options?.exemptPrefixes
      ? { exemptPrefixes: options.exemptPrefixes }
      : {}),
  };
}

let nextId = 1;
export const newRow = (key = '', value = ''): LabelRow => ({
  id: nextId++,
  key,
  value,
});

/** The rows to start with: the value's labels, then an empty row for each required key it lacks. */
export function initialRows(
  value: Record<string, string> | undefined,
  conventions: LabelConventions,
): LabelRow[] {
  const rows = Object.entries(value ?? {}).map(([k, v]) =>
    newRow(k, String(v ?? '')),
  );
  for (const key of conventions.requiredLabels) {
    if (!rows.some(r => r.key === key)) rows.push(newRow(key, ''));
  }
  return rows.length ? rows : [newRow()];
}

/** The labels the rows stand for: rows without a key are still being typed; of duplicates, the first counts. */
export function rowsToLabels(rows: LabelRow[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const r of rows) {
    if (r.key !== '' && !(r.key in labels)) labels[r.key] = r.value;
  }
  return labels;
}

const KEY_RULES = ['label-key-syntax', 'label-key-style', 'label-near-miss'];

/**
 * The findings of every row, with the same rules as `serving-health:validate`, plus the required labels no
 * row carries.
 */
export function findings(rows: LabelRow[], conventions: LabelConventions) {
  const labels = rowsToLabels(rows);
  const issues = checkLabels(labels, { conventions });
  const perRow = new Map<number, RowFindings>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const duplicate = row.key !== '' && seen.has(row.key);
    seen.set(row.key, row.id);
    const f: RowFindings = {
      keyIssues: [],
      valueIssues: [],
      notes: row.key ? labelKeyNotes(row.key) : [],
      duplicate,
    };
    if (row.key === '') {
      // Not an error while the row is empty; a value without a key is.
      if (row.value !== '') {
        f.keyIssues = isQualifiedName('').map(message => ({
          rule: 'label-key-syntax' as const,
          severity: 'error' as const,
          key: '',
          message: `label key ${message}`,
          path: '/metadata/labels//',
        }));
      }
    } else if (!duplicate) {
      f.keyIssues = issues.filter(
        i => i.key === row.key && KEY_RULES.includes(i.rule),
      );
      f.valueIssues = issues.filter(
        i =>
          i.key === row.key &&
          (i.rule === 'label-value-syntax' || i.rule === 'label-required'),
      );
    }
    perRow.set(row.id, f);
  }
  const missing = issues.filter(
    i => i.rule === 'label-required' && !(i.key in labels),
  );
  return { perRow, missing, issues };
}
