/**
 * A Kubernetes label selector (metav1.LabelSelector).
 *
 * @public
 */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

/** matchExpressions as the API server evaluates them; an unknown operator never matches. */
export function matchesLabelExpressions(
  expressions: LabelSelector['matchExpressions'],
  labels: Record<string, string>,
): boolean {
  for (const e of expressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * A label selector with Kubernetes semantics (exact matchLabels); an absent selector matches everything.
 *
 * @public
 */
export function matchesLabelSelector(
  selector: LabelSelector | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  return matchesLabelExpressions(selector.matchExpressions, labels);
}
