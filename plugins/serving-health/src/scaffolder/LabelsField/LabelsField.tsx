import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import { useMemo, useState } from 'react';
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
  } = props;
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
    </FormControl>
  );
};
