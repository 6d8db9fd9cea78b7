import { Box, Chip, makeStyles } from '@material-ui/core';
import {
  FAILURE_MODES,
  FailureModeId,
} from '@serving-health/plugin-serving-health-common';

const useStyles = makeStyles(theme => ({
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

/** Failure modes as small chips, each named in plain words. */
export const FailureModeChips = ({ ids }: { ids: FailureModeId[] }) => {
  const classes = useStyles();
  return (
    <Box className={classes.chips}>
      {ids.map(id => (
        <Chip
          key={id}
          size="small"
          // Outlined: the filled secondary (pink) chip fails WCAG AA contrast.
          variant="outlined"
          label={FAILURE_MODES[id]?.title ?? id}
          data-failure-mode={id}
        />
      ))}
    </Box>
  );
};
