import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Box,
  Button,
  Chip,
  makeStyles,
  TextField,
  Typography,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { MTableBodyRow } from '@material-table/core';
import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  FAILURE_MODE_IDS,
  FAILURE_MODES,
  FailureModeId,
  FleetEntry,
  FleetSummary,
  OverallStatus,
  TRIAGE_STAGES,
  TriageStage,
} from '@serving-health/plugin-serving-health-common';
import { useFleetSummary } from '../../hooks/useFleetSummary';
import { useServingHealthTabLink } from '../../hooks/useServingHealthTabLink';
import { OVERALL_LABELS, OVERALL_STATUSES, stageTitle } from '../../status';
import { OverallStatusLabel } from '../StatusLabel';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  filter: {
    minWidth: 240,
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
}));

export interface FleetRow {
  id: string;
  name: string;
  namespace: string;
  kind: string;
  entityRef: string;
  title?: string;
  cluster?: string;
  overall: OverallStatus;
  failingStage?: TriageStage;
  failureModes: FailureModeId[];
  error?: string;
}

// Worst first, so a descending sort puts failing endpoints on top.
const SEVERITY: Record<OverallStatus, number> = {
  healthy: 0,
  unknown: 1,
  degraded: 2,
  failing: 3,
};

const stageOrder = (stage?: string) =>
  TRIAGE_STAGES.find(s => s.id === stage)?.order ?? 99;

export function toFleetRows(entries: FleetEntry[]): FleetRow[] {
  return entries.map(entry => {
    const ref = parseEntityRef(entry.entityRef);
    return {
      id: entry.entityRef,
      name: ref.name,
      namespace: ref.namespace,
      kind: ref.kind,
      entityRef: entry.entityRef,
      title: entry.title,
      cluster: entry.cluster,
      overall: entry.overall,
      failingStage: entry.failingStage,
      failureModes: entry.failureModes,
      error: entry.error,
    };
  });
}

export function filterFleetRows(
  rows: FleetRow[],
  filters: { status?: string | null; failureMode?: string | null },
): FleetRow[] {
  return rows.filter(
    row =>
      (!filters.status || row.overall === filters.status) &&
      (!filters.failureMode ||
        row.failureModes.includes(filters.failureMode as FailureModeId)),
  );
}

// Stable row testids for browser tests; defined once so rows are not remounted.
const FleetTableRow = (rowProps: any) => (
  <MTableBodyRow
    {...rowProps}
    data-testid={`fleet-row-${rowProps.data.name}`}
    data-status={rowProps.data.overall}
  />
);

const FleetTable = ({
  summary,
  onReload,
}: {
  summary: FleetSummary;
  onReload: () => void;
}) => {
  const classes = useStyles();
  const tabLink = useServingHealthTabLink();
  const [searchParams, setSearchParams] = useSearchParams();
  const status = searchParams.get('status') ?? '';
  const failureMode = searchParams.get('failureMode') ?? '';

  const allRows = useMemo(() => toFleetRows(summary.entries), [summary]);
  // material-table annotates the row objects it gets; give it fresh ones per filter.
  const rows = useMemo(
    () =>
      filterFleetRows(allRows, { status, failureMode }).map(row => ({
        ...row,
      })),
    [allRows, status, failureMode],
  );

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(searchParams);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setSearchParams(next, { replace: true });
  };

  const counts = OVERALL_STATUSES.map(s => ({
    status: s,
    count: allRows.filter(r => r.overall === s).length,
  }));

  const columns: TableColumn<FleetRow>[] = [
    {
      title: 'Entity',
      field: 'name',
      highlight: true,
      customSort: (a, b) => a.entityRef.localeCompare(b.entityRef),
      render: row => (
        <Box>
          <Link
            to={tabLink(row.entityRef)}
            data-testid={`fleet-link-${row.name}`}
          >
            {row.title ?? row.name}
          </Link>
          <Typography variant="caption" color="textSecondary" component="div">
            {row.entityRef}
          </Typography>
        </Box>
      ),
    },
    {
      title: 'Cluster',
      field: 'cluster',
      render: row => row.cluster ?? '—',
    },
    {
      title: 'Overall',
      field: 'overall',
      defaultSort: 'desc',
      customSort: (a, b) =>
        SEVERITY[a.overall] - SEVERITY[b.overall] ||
        b.entityRef.localeCompare(a.entityRef),
      render: row => (
        <Box>
          <OverallStatusLabel
            status={row.overall}
            testId={`fleet-overall-${row.name}`}
          />
          {row.error && (
            <Typography
              variant="caption"
              color="error"
              component="div"
              data-testid={`fleet-error-${row.name}`}
            >
              {row.error}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: 'Failing stage',
      field: 'failingStage',
      customSort: (a, b) =>
        stageOrder(a.failingStage) - stageOrder(b.failingStage),
      render: row =>
        row.failingStage ? (
          <span data-stage={row.failingStage}>
            {stageTitle(row.failingStage)}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: 'Failure modes',
      field: 'failureModes',
      customSort: (a, b) =>
        a.failureModes.join(',').localeCompare(b.failureModes.join(',')),
      render: row =>
        row.failureModes.length > 0 ? (
          <Box className={classes.chips}>
            {row.failureModes.map(id => (
              <Chip
                key={id}
                size="small"
                color="secondary"
                label={FAILURE_MODES[id]?.title ?? id}
                data-failure-mode={id}
              />
            ))}
          </Box>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <>
      <Box className={classes.filters}>
        <TextField
          select
          className={classes.filter}
          variant="outlined"
          size="small"
          label="Status"
          value={status}
          onChange={e => setFilter('status', e.target.value)}
          SelectProps={{ native: true }}
          // The empty option shows a value: keep the label above it, not on it.
          InputLabelProps={{ shrink: true }}
          inputProps={{
            'data-testid': 'fleet-filter-status',
            'aria-label': 'Filter by status',
          }}
        >
          <option value="">All statuses</option>
          {OVERALL_STATUSES.map(s => (
            <option key={s} value={s}>
              {OVERALL_LABELS[s]}
            </option>
          ))}
        </TextField>
        <TextField
          select
          className={classes.filter}
          variant="outlined"
          size="small"
          label="Failure mode"
          value={failureMode}
          onChange={e => setFilter('failureMode', e.target.value)}
          SelectProps={{ native: true }}
          // The empty option shows a value: keep the label above it, not on it.
          InputLabelProps={{ shrink: true }}
          inputProps={{
            'data-testid': 'fleet-filter-failure-mode',
            'aria-label': 'Filter by failure mode',
          }}
        >
          <option value="">All failure modes</option>
          {FAILURE_MODE_IDS.map(id => (
            <option key={id} value={id}>
              {FAILURE_MODES[id].title}
            </option>
          ))}
        </TextField>
        <Box className={classes.chips} role="list" aria-label="Status counts">
          {counts.map(({ status: s, count }) => (
            <Chip
              key={s}
              role="listitem"
              variant="outlined"
              size="small"
              label={`${OVERALL_LABELS[s]}: ${count}`}
              data-testid={`fleet-count-${s}`}
              data-count={count}
            />
          ))}
        </Box>
        <Button
          variant="outlined"
          color="primary"
          startIcon={<RefreshIcon />}
          onClick={onReload}
          data-testid="fleet-reload"
        >
          Reload
        </Button>
      </Box>
      <Table<FleetRow>
        title={`Model endpoints (${rows.length} of ${allRows.length})`}
        subtitle={`Report generated ${new Date(
          summary.generatedAt,
        ).toLocaleString()}`}
        columns={columns}
        data={rows}
        options={{
          paging: allRows.length > 100,
          pageSize: 100,
          pageSizeOptions: [20, 50, 100],
          search: true,
          padding: 'dense',
          thirdSortClick: false,
        }}
        components={{ Row: FleetTableRow }}
        emptyContent={
          <Box p={2} data-testid="fleet-empty">
            <Typography variant="body2">
              {allRows.length === 0
                ? 'No entity carries a Serving Health annotation yet.'
                : 'No entity matches these filters.'}
            </Typography>
          </Box>
        }
      />
    </>
  );
};

const FleetContent = () => {
  const { value, loading, error, retry } = useFleetSummary();
  if (error) {
    return (
      <Box data-testid="fleet-error">
        <ResponseErrorPanel error={error} title="Fleet summary unavailable" />
      </Box>
    );
  }
  if (!value || loading) {
    return (
      <Box data-testid="fleet-loading">
        <Progress aria-label="Loading fleet summary" />
      </Box>
    );
  }
  return <FleetTable summary={value} onReload={retry} />;
};

/** The platform team's view of every model endpoint the user can see. */
export const FleetPage = () => (
  <Page themeId="tool">
    <Header
      title="Serving Health"
      subtitle="Triage of every model endpoint in the catalog"
    />
    <Content>
      <ContentHeader title="Fleet" />
      <FleetContent />
    </Content>
  </Page>
);
