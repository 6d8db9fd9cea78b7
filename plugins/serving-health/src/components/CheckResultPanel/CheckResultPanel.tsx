import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import { useEffect, useState } from 'react';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Button,
  Chip,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { CodeSnippet, WarningPanel } from '@backstage/core-components';
import {
  CheckResult,
  Evidence,
  FAILURE_MODES,
  ObjectRef,
  RemediationStep,
} from '@serving-health/plugin-serving-health-common';
import { CheckStatusLabel } from '../StatusLabel';

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    width: '100%',
  },
  summaryHeader: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  details: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    width: '100%',
  },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  failureMode: {
    borderLeft: `4px solid ${theme.palette.error.main}`,
    paddingLeft: theme.spacing(2),
  },
  mono: {
    fontFamily: 'monospace',
    // Break long values at any point only when a word does not fit.
    overflowWrap: 'anywhere',
  },
  fieldName: {
    fontFamily: 'monospace',
    width: '28%',
    verticalAlign: 'top',
    overflowWrap: 'anywhere',
  },
  steps: {
    margin: 0,
    paddingLeft: theme.spacing(3),
    '& > li + li': {
      marginTop: theme.spacing(2),
    },
  },
}));

export function formatObjectRef(ref: ObjectRef): string {
  const name = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  return [ref.apiVersion, ref.kind, name].filter(Boolean).join(' ');
}

const EvidenceItem = ({ evidence }: { evidence: Evidence }) => {
  const classes = useStyles();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const fields = Object.entries(evidence.fields ?? {});
  return (
    <Box className={classes.section} data-testid="evidence">
      <Typography variant="subtitle2">{evidence.label}</Typography>
      {evidence.object && (
        <Typography
          variant="body2"
          className={classes.mono}
          data-testid="evidence-object"
        >
          {formatObjectRef(evidence.object)}
        </Typography>
      )}
      {fields.length > 0 && (
        <Table
          size="small"
          aria-label={t('check.fieldsRead', { label: evidence.label })}
        >
          <TableBody>
            {fields.map(([field, value]) => (
              <TableRow key={field}>
                <TableCell
                  component="th"
                  scope="row"
                  className={classes.fieldName}
                >
                  {field}
                </TableCell>
                <TableCell className={classes.mono}>{value}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {evidence.lines && evidence.lines.length > 0 && (
        <div data-testid="evidence-lines">
          <CodeSnippet
            text={evidence.lines.join('\n')}
            language="plaintext"
            wrapLongLines
          />
        </div>
      )}
    </Box>
  );
};

const RemediationStepItem = ({ step }: { step: RemediationStep }) => {
  const classes = useStyles();
  return (
    <li>
      <Box className={classes.section}>
        <Typography variant="body2">{step.text}</Typography>
        {step.command && (
          <div data-testid="remediation-command">
            <CodeSnippet
              text={step.command}
              language="bash"
              showCopyCodeButton
              wrapLongLines
            />
          </div>
        )}
        {step.patch && (
          <div data-testid="remediation-patch">
            <CodeSnippet text={step.patch} language="yaml" showCopyCodeButton />
          </div>
        )}
      </Box>
    </li>
  );
};

/** The element id of a check's panel, for links from the findings at the top. */
export const checkAnchor = (checkId: string) => `check-${checkId}`;
/** The element id of a check's evidence. */
export const evidenceAnchor = (checkId: string) => `check-${checkId}-evidence`;

/**
 * True once the location points at this anchor: the finding's evidence link
 * opens the evidence it links to, which is otherwise one click away.
 */
function useOpenedByAnchor(anchor: string): [boolean, (open: boolean) => void] {
  const target = `#${anchor}`;
  const [open, setOpen] = useState(
    () => typeof window !== 'undefined' && window.location.hash === target,
  );
  useEffect(() => {
    const onHashChange = () => {
      if (window.location.hash === target) {
        setOpen(true);
      }
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [target]);
  return [open, setOpen];
}

/** A sentence naming the check that blocked a skipped check. */
function useBlockedByText(
  check: CheckResult,
  allChecks: CheckResult[],
): string | undefined {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  if (check.status !== 'skipped' || !check.blockedBy) {
    return undefined;
  }
  const blocker = allChecks.find(c => c.id === check.blockedBy);
  return blocker
    ? t('check.blockedBy', { title: blocker.title, id: blocker.id })
    : t('check.blockedById', { id: check.blockedBy });
}

export interface CheckResultPanelProps {
  check: CheckResult;
  /** Every check of the report, to name the one that blocked a skipped check. */
  allChecks?: CheckResult[];
}

/** One check of the triage: open when it failed, erred, or warned of a failure mode; otherwise collapsed. */
export const CheckResultPanel = ({
  check,
  allChecks = [],
}: CheckResultPanelProps) => {
  const classes = useStyles();
  const failureMode = check.failureMode
    ? FAILURE_MODES[check.failureMode]
    : undefined;
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const blocked = useBlockedByText(check, allChecks);
  const summaryId = `check-${check.id}-summary`;
  const hasEvidence = check.evidence && check.evidence.length > 0;
  const anchor = evidenceAnchor(check.id);
  const [evidenceOpen, setEvidenceOpen] = useOpenedByAnchor(anchor);

  return (
    <Accordion
      // A warning that names a failure mode (a degraded report's cause) is as open as a failure.
      defaultExpanded={
        check.status === 'fail' ||
        check.status === 'error' ||
        (check.status === 'warn' && Boolean(check.failureMode))
      }
      id={checkAnchor(check.id)}
      data-testid={`check-${check.id}`}
      data-status={check.status}
      data-failure-mode={check.failureMode}
      TransitionProps={{ unmountOnExit: false }}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        id={summaryId}
        aria-controls={`check-${check.id}-details`}
      >
        <Box className={classes.summary}>
          <Box className={classes.summaryHeader}>
            <CheckStatusLabel status={check.status} />
            <Typography variant="subtitle1" component="span">
              {check.title}
            </Typography>
            <Typography
              variant="caption"
              color="textSecondary"
              className={classes.mono}
            >
              {check.id}
            </Typography>
            {failureMode && (
              <Chip
                size="small"
                variant="outlined"
                label={failureMode.title}
                data-testid={`check-${check.id}-failure-mode-chip`}
              />
            )}
          </Box>
          <Typography variant="body2" color="textSecondary">
            {check.summary}
          </Typography>
          {blocked && (
            <Typography
              variant="body2"
              data-testid={`check-${check.id}-blocked-by`}
            >
              {blocked}
            </Typography>
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails
        id={`check-${check.id}-details`}
        aria-labelledby={summaryId}
      >
        <Box className={classes.details}>
          {check.status === 'error' && (
            <div data-testid={`check-${check.id}-error`}>
              <WarningPanel
                severity="warning"
                title={t('check.couldNotRunTitle')}
                defaultExpanded
              >
                <Typography variant="body2">
                  {t('check.couldNotRunBody')}
                </Typography>
              </WarningPanel>
            </div>
          )}
          {failureMode && (
            <Box
              className={`${classes.section} ${classes.failureMode}`}
              data-testid={`check-${check.id}-failure-mode`}
              data-failure-mode={failureMode.id}
            >
              <Typography variant="subtitle2">
                {t('check.failureMode', { title: failureMode.title })}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {t('report.whatYouSee')}{' '}
                <span className={classes.mono}>{failureMode.symptom}</span>
              </Typography>
            </Box>
          )}
          {check.remediation?.why && (
            <Box
              className={classes.section}
              data-testid={`check-${check.id}-why`}
            >
              <Typography variant="subtitle2">{t('check.why')}</Typography>
              <Typography variant="body2">{check.remediation.why}</Typography>
            </Box>
          )}
          {hasEvidence && (
            <Box
              className={classes.section}
              id={anchor}
              data-testid={`check-${check.id}-evidence`}
              data-open={evidenceOpen}
            >
              <Typography variant="subtitle2">{t('check.evidence')}</Typography>
              <div>
                <Button
                  size="small"
                  variant="outlined"
                  aria-expanded={evidenceOpen}
                  aria-controls={`${anchor}-items`}
                  onClick={() => setEvidenceOpen(!evidenceOpen)}
                  data-testid={`check-${check.id}-evidence-toggle`}
                >
                  {evidenceOpen
                    ? t('check.hideEvidence')
                    : t('check.showEvidence', {
                        count: check.evidence.length,
                      })}
                </Button>
              </div>
              {evidenceOpen && (
                <div id={`${anchor}-items`}>
                  {check.evidence.map((evidence, i) => (
                    <EvidenceItem key={i} evidence={evidence} />
                  ))}
                </div>
              )}
            </Box>
          )}
          {check.remediation && check.remediation.steps.length > 0 && (
            <Box
              className={classes.section}
              data-testid={`check-${check.id}-remediation`}
            >
              <Typography variant="subtitle2">{t('check.howToFix')}</Typography>
              <ol className={classes.steps}>
                {check.remediation.steps.map((step, i) => (
                  <RemediationStepItem key={i} step={step} />
                ))}
              </ol>
            </Box>
          )}
          {!hasEvidence && !check.remediation && check.status === 'pass' && (
            <Typography variant="body2" color="textSecondary">
              {t('check.nothingToReport')}
            </Typography>
          )}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
};
