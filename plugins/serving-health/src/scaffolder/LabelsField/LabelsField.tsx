import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import { useEffect, useMemo, useState } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  FormControl,
  FormHelperText,
  FormLabel,
  Grid,
  IconButton,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  conventionsFor,
  findings,
  initialRows,
  LabelRow,
  LabelsFieldOptions,
  newRow,
  rowsToLabels,
} from '../labelRows';
import {
  KyvernoEvaluator,
  kyvernoResource,
  LabelsFieldKyvernoOptions,
  loadKyverno,
} from '../kyverno';

type KyvernoLoad =
  | { state: 'loading' }
  | { state: 'error'; error: Error }
  | { state: 'loaded'; evaluator: KyvernoEvaluator };

/** The policies and evaluator of `ui:options.kyverno`, loaded once; undefined when the option is not set. */
function useKyverno(options: LabelsFieldKyvernoOptions | undefined) {
  // Optional: a field without `kyverno` must work in apps that do not install the Serving Health API.
  const apis = useApiHolder();
  const [load, setLoad] = useState<KyvernoLoad>({ state: 'loading' });
  const cluster = options?.cluster;
  const namespace = options?.namespace;
  useEffect(() => {
    if (!cluster) return undefined;
    let current = true;
    setLoad({ state: 'loading' });
    loadKyverno(apis, { cluster, namespace }).then(
      evaluator => current && setLoad({ state: 'loaded', evaluator }),
      error => current && setLoad({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [apis, cluster, namespace]);
  return cluster ? load : undefined;
}

const ruleName = (n: { policy?: string; rule?: string }) =>
  n.policy ? `${n.policy}${n.rule ? `/${n.rule}` : ''}: ` : '';

/**
 * A labels editor that checks every key and value as it is typed, with the rules of
 * `serving-health:validate`: API-server syntax, required keys, key style, and near misses, for which it offers
 * the conventional key.
 */
export const LabelsField = (
  props: FieldExtensionComponentProps<
    Record<string, string>,
    LabelsFieldOptions
  >,
) => {
  const {
    formData,
    onChange,
    uiSchema,
    schema,
    rawErrors,
    required,
    idSchema,
    disabled,
    readonly,
    formContext,
  } = props;
  const kyvernoOptions = uiSchema?.['ui:options']?.kyverno;
  const conventions = useMemo(
    () => conventionsFor(uiSchema?.['ui:options']),
    [uiSchema],
  );
  const [rows, setRows] = useState<LabelRow[]>(() =>
    initialRows(formData, conventions),
  );
  const { perRow, missing } = useMemo(
    () => findings(rows, conventions),
    [rows, conventions],
  );
  const id = idSchema?.$id ?? 'labels';
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const kyverno = useKyverno(kyvernoOptions);
  const labels = useMemo(() => rowsToLabels(rows), [rows]);
  // The labels other fields give the resource (labelsFrom), as a stable key: the verdict is not redone on
  // every render, only when the labels change.
  const otherFields = JSON.stringify(
    Object.values(kyvernoOptions?.labelsFrom ?? {}).map(
      f => (formContext?.formData as Record<string, unknown>)?.[f] ?? null,
    ),
  );
  const verdict = useMemo(
    () =>
      kyvernoOptions && kyverno?.state === 'loaded'
        ? kyverno.evaluator.evaluate(
            kyvernoResource(
              kyvernoOptions,
              labels,
              formContext?.formData as Record<string, unknown>,
            ),
          )
        : undefined,
    // formContext.formData is new on every render; otherFields stands for what is read from it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [kyverno, kyvernoOptions, labels, otherFields],
  );
  const kyvernoCluster = kyvernoOptions?.cluster ?? '';

  const update = (next: LabelRow[]) => {
    setRows(next);
    onChange(rowsToLabels(next));
  };
  const setRow = (rowId: number, patch: Partial<LabelRow>) =>
    update(rows.map(r => (r.id === rowId ? { ...r, ...patch } : r)));

  return (
    <FormControl
      fullWidth
      required={required}
      error={!!rawErrors?.length}
      margin="normal"
    >
      <FormLabel>{schema?.title ?? t('labelsField.title')}</FormLabel>
      {schema?.description && (
        <FormHelperText>{schema.description}</FormHelperText>
      )}
      {rows.map((row, index) => {
        const f = perRow.get(row.id)!;
        const keyProblem = f.duplicate
          ? t('labelsField.duplicateKey', { key: row.key })
          : f.keyIssues[0]?.message;
        const suggestion = f.keyIssues.find(i => i.suggestion)?.suggestion;
        const valueProblem = f.valueIssues[0]?.message;
        const keyIsError =
          f.duplicate || f.keyIssues.some(i => i.severity === 'error');
        return (
          <Grid container spacing={1} alignItems="flex-start" key={row.id}>
            <Grid item xs={5}>
              <TextField
                id={`${id}-key-${index}`}
                label={t('labelsField.key')}
                value={row.key}
                fullWidth
                margin="dense"
                disabled={disabled || readonly}
                error={keyIsError}
                helperText={keyProblem ?? f.notes[0]}
                inputProps={{
                  'aria-label': t('labelsField.keyLabel', {
                    n: String(index + 1),
                  }),
                }}
                onChange={e => setRow(row.id, { key: e.target.value })}
              />
              {suggestion && (
                <Button
                  size="small"
                  color="primary"
                  variant="outlined"
                  onClick={() => setRow(row.id, { key: suggestion })}
                >
                  {t('labelsField.useSuggestion', { key: suggestion })}
                </Button>
              )}
            </Grid>
            <Grid item xs={6}>
              <TextField
                id={`${id}-value-${index}`}
                label={t('labelsField.value')}
                value={row.value}
                fullWidth
                margin="dense"
                disabled={disabled || readonly}
                error={!!valueProblem}
                helperText={valueProblem}
                inputProps={{
                  'aria-label': t('labelsField.valueLabel', {
                    n: String(index + 1),
                  }),
                }}
                onChange={e => setRow(row.id, { value: e.target.value })}
              />
            </Grid>
            <Grid item xs={1}>
              <IconButton
                aria-label={t('labelsField.removeLabel', {
                  n: String(index + 1),
                })}
                disabled={disabled || readonly}
                onClick={() => update(rows.filter(r => r.id !== row.id))}
              >
                <DeleteIcon />
              </IconButton>
            </Grid>
          </Grid>
        );
      })}
      <Box mt={1}>
        <Button
          size="small"
          startIcon={<AddIcon />}
          disabled={disabled || readonly}
          onClick={() => update([...rows, newRow()])}
        >
          {t('labelsField.addLabel')}
        </Button>
      </Box>
      {missing.map(m => (
        <Typography key={m.key} variant="caption" color="error" component="p">
          {m.message}
        </Typography>
      ))}
      {kyverno?.state === 'loading' && (
        <Typography variant="caption" component="p" role="status">
          {t('labelsField.kyvernoLoading', { cluster: kyvernoCluster })}
        </Typography>
      )}
      {kyverno?.state === 'error' && (
        <Box mt={1}>
          <Alert severity="warning">
            {kyverno.error.name === 'NotAllowedError' ||
            (kyverno.error as { statusCode?: number }).statusCode === 403
              ? t('labelsField.kyvernoNotAllowed', { cluster: kyvernoCluster })
              : t('labelsField.kyvernoError', {
                  cluster: kyvernoCluster,
                  message: kyverno.error.message,
                })}
          </Alert>
        </Box>
      )}
      {verdict && kyverno?.state === 'loaded' && (
        <Box mt={1} aria-label="Kyverno verdict">
          {verdict.enforceMessage && (
            <Alert severity="error">
              <Typography variant="subtitle2">
                {t('labelsField.kyvernoEnforce', {
                  cluster: kyvernoCluster,
                  kind: kyvernoOptions?.kind ?? 'InferenceService',
                })}
              </Typography>
              <Typography
                component="pre"
                variant="body2"
                style={{ whiteSpace: 'pre-wrap', margin: 0 }}
              >
                {verdict.enforceMessage}
              </Typography>
            </Alert>
          )}
          {verdict.denials
            .filter(d => d.failureAction === 'Audit')
            .map(d => (
              <Alert severity="warning" key={`${d.policy}/${d.rule}`}>
                {t('labelsField.kyvernoAudit', { cluster: kyvernoCluster })}:{' '}
                {d.policy}/{d.rule}: {d.message}
              </Alert>
            ))}
          {verdict.denials.length === 0 && (
            <Typography variant="caption" component="p">
              {t('labelsField.kyvernoPass', {
                cluster: kyvernoCluster,
                rules: String(verdict.rules),
                policies: String(kyverno.evaluator.policies.policies.length),
              })}
            </Typography>
          )}
          {verdict.notEvaluated.length > 0 && (
            <Alert severity="info">
              <Typography variant="subtitle2">
                {t('labelsField.kyvernoNotEvaluated')}
              </Typography>
              {verdict.notEvaluated.map((n, i) => (
                <Typography variant="body2" key={i}>
                  {ruleName(n)}
                  {n.reason}
                </Typography>
              ))}
            </Alert>
          )}
        </Box>
      )}
    </FormControl>
  );
};
