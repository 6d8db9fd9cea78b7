import { Box, Chip, makeStyles } from '@material-ui/core';
import { FailureModeId } from '@serving-health/plugin-serving-health-common';
import { useServingHealthLabels } from '../../hooks/useServingHealthLabels';

const useStyles = makeStyles(theme => ({
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  // In a narrow column a long title wraps inside its chip instead of running out of the cell.
  wrappingChip: { maxWidth: '100%', height: 'auto', minHeight: 24 },
  wrappingLabel: { whiteSpace: 'normal' },
}));

/** Failure modes as small chips, each named in plain words; `wrap` for narrow cells. */
export const FailureModeChips = ({
  ids,
  wrap,
}: {
  ids: FailureModeId[];
  wrap?: boolean;
}) => {
  const classes = useStyles();
  const { failureModeTitle } = useServingHealthLabels();
  return (
    <Box className={classes.chips}>
      {ids.map(id => (
        <Chip
          key={id}
          size="small"
          // Outlined: the filled secondary (pink) chip fails WCAG AA contrast.
          variant="outlined"
          label={failureModeTitle(id)}
          data-failure-mode={id}
          classes={
            wrap
              ? { root: classes.wrappingChip, label: classes.wrappingLabel }
              : undefined
          }
        />
      ))}
    </Box>
  );
};
