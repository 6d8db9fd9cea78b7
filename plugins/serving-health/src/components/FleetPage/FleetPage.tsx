import { useEffect, useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
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
import {
  FAILURE_MODE_IDS,
  FleetSummary,
} from '@serving-health/plugin-serving-health-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { servingHealthTranslationRef } from '../../translation';
import { useFleetSummary } from '../../hooks/useFleetSummary';
import { useServingHealthTabLink } from '../../hooks/useServingHealthTabLink';
import { OVERALL_SEVERITY, OVERALL_STATUSES } from '../../status';
import { FailureModeChips } from '../FailureModeChips';
import { FilterSelect } from '../FilterSelect';
import { OverallStatusLabel } from '../StatusLabel';
import { FleetProblems } from './FleetProblems';
import { FleetTimeInState } from './FleetTimeInState';
import {
  FILTER_KEYS,
  FleetRow,
  filterFleetRows,
  groupProblems,
  toFleetRows,
} from './fleetRows';
import { useServingHealthLabels } from '../../hooks/useServingHealthLabels';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  filter: {
    minWidth: 200,
  },
  search: {
    minWidth: 280,
  },
  // The theme's secondary text on a white field is below WCAG AA contrast for small labels.
  label: {
    color: theme.palette.text.primary,
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
}));

// Owners are groups mostly: `team-ml` reads better than `group:default/team-ml`, as on the catalog's pages.
// A shared link can carry any owner: show it as given when it is not a ref.
const ownerName = (owner: string) => {
  try {
    return humanizeEntityRef(parseEntityRef(owner), { defaultKind: 'group' });
  } catch {
    return owner;
  }
};

const PAGE_SIZES = [20, 50, 100, 250];
const DEFAULT_PAGE_SIZE = 50;

// Stable row testids for browser tests; defined once so rows are not remounted.
const FleetTableRow = (rowProps: any) => (
  <MTableBodyRow
    {...rowProps}
    data-testid={`fleet-row-${rowProps.data.name}`}
    data-status={rowProps.data.overall}
  />
);

/** The search field: the URL (and the list) follow the text once typing pauses, not at every key. */
const SearchField = ({
  value,
  onChange,
  className,
  labelClassName,
}: {
  value: string;
  onChange: (value: string) => void;
  className: string;
  labelClassName: string;
}) => {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const [text, setText] = useState(value);
  // The URL can change without typing: a cleared filter, a problem link, the back button.
  useEffect(() => setText(value), [value]);
  useDebounce(() => text !== value && onChange(text), 300, [text]);
  return (
    <TextField
      className={className}
      variant="outlined"
      size="small"
      type="search"
      label={t('fleet.search')}
      placeholder={t('fleet.searchPlaceholder')}
      value={text}
      onChange={e => setText(e.target.value)}
      InputLabelProps={{ className: labelClassName }}
      inputProps={{
        'data-testid': 'fleet-search',
        'aria-label': t('fleet.searchLabel'),
      }}
    />
  );
};

const FleetTable = ({
  summary,
  onReload,
}: {
  summary: FleetSummary;
  onReload: () => void;
}) => {
  const classes = useStyles();
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { stageTitle, failureModeTitle } = useServingHealthLabels();
  const tabLink = useServingHealthTabLink();
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const cluster = searchParams.get('cluster') ?? '';
  const owner = searchParams.get('owner') ?? '';
  const status = searchParams.get('status') ?? '';
  const failureMode = searchParams.get('failureMode') ?? '';
  const requestedSize = Number(searchParams.get('pageSize'));
  const pageSize = PAGE_SIZES.includes(requestedSize)
    ? requestedSize
    : DEFAULT_PAGE_SIZE;
  // The URL counts pages from 1, as people do; material-table from 0.
  const page = Math.max(
    0,
    Math.floor(Number(searchParams.get('page')) || 1) - 1,
  );

  const allRows = useMemo(() => toFleetRows(summary.entries), [summary]);
  const groups = useMemo(() => groupProblems(allRows), [allRows]);
  // Filter options are what the fleet has, plus a value from a shared link that it no longer has.
  const choices = (values: (string | undefined)[], selected: string) =>
    [...new Set([...values, selected].filter((v): v is string => !!v))].sort();
  const clusters = useMemo(
    () =>
      choices(
        allRows.map(r => r.cluster),
        cluster,
      ),
    [allRows, cluster],
  );
  const owners = useMemo(
    () =>
      choices(
        allRows.map(r => r.owner),
        owner,
      ),
    [allRows, owner],
  );
  // material-table annotates the row objects it gets; give it fresh ones per filter.
  const rows = useMemo(
    () =>
      filterFleetRows(allRows, { q, cluster, owner, status, failureMode })
        .map(row => ({ ...row }))
        // Worst first, then by entity: the order a platform team works in.
        .sort(
          (a, b) =>
            OVERALL_SEVERITY[b.overall] - OVERALL_SEVERITY[a.overall] ||
            a.entityRef.localeCompare(b.entityRef),
        ),
    [allRows, q, cluster, owner, status, failureMode],
  );

  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') {
        next.delete(key);
      } else {
        next.set(key, String(value));
      }
    }
    setSearchParams(next, { replace: true });
  };
  // Another filter is another list: start it on its first page.
  const setFilter = (key: string, value: string) =>
    update({ [key]: value, page: undefined });
  const filtered = FILTER_KEYS.some(key => searchParams.get(key));

  const counts = OVERALL_STATUSES.map(s => ({
    status: s,
    count: allRows.filter(r => r.overall === s).length,
  }));

  const columns: TableColumn<FleetRow>[] = [
    {
      title: t('fleet.columnEntity'),
      field: 'name',
      highlight: true,
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
      title: t('fleet.columnCluster'),
      field: 'cluster',
      render: row => row.cluster ?? '—',
    },
    {
      title: t('fleet.columnOwner'),
      field: 'owner',
      render: row => (row.owner ? ownerName(row.owner) : '—'),
    },
    {
      title: t('fleet.columnOverall'),
      field: 'overall',
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
      title: t('fleet.columnFailingStage'),
      field: 'failingStage',
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
      title: t('fleet.columnFailureModes'),
      field: 'failureModes',
      render: row =>
        row.failureModes.length > 0 ? (
          <FailureModeChips ids={row.failureModes} />
        ) : (
          '—'
        ),
    },
  ];

  return (
    <>
      <FleetProblems groups={groups} />
      <FleetTimeInState />
      <Box className={classes.filters}>
        <SearchField
          className={classes.search}
          labelClassName={classes.label}
          value={q}
          onChange={text => setFilter('q', text)}
        />
        <FilterSelect
          className={classes.filter}
          labelClassName={classes.label}
          label={t('fleet.filterCluster')}
          testId="fleet-filter-cluster"
          value={cluster}
          onChange={v => setFilter('cluster', v)}
          all={t('fleet.allClusters')}
          options={clusters.map(c => ({ value: c, label: c }))}
        />
        <FilterSelect
          className={classes.filter}
          labelClassName={classes.label}
          label={t('fleet.filterOwner')}
          testId="fleet-filter-owner"
          value={owner}
          onChange={v => setFilter('owner', v)}
          all={t('fleet.allOwners')}
          options={owners.map(o => ({ value: o, label: ownerName(o) }))}
        />
        <FilterSelect
          className={classes.filter}
          labelClassName={classes.label}
          label={t('fleet.filterStatus')}
          testId="fleet-filter-status"
          value={status}
          onChange={v => setFilter('status', v)}
          all={t('fleet.allStatuses')}
          options={OVERALL_STATUSES.map(v => ({
            value: v,
            label: t(`status.overall.${v}`),
          }))}
        />
        <FilterSelect
          className={classes.filter}
          labelClassName={classes.label}
          label={t('fleet.filterFailureMode')}
          testId="fleet-filter-failure-mode"
          value={failureMode}
          onChange={v => setFilter('failureMode', v)}
          all={t('fleet.allFailureModes')}
          options={FAILURE_MODE_IDS.map(id => ({
            value: id,
            label: failureModeTitle(id),
          }))}
        />
        <Box
          className={classes.chips}
          role="list"
          aria-label={t('fleet.statusCounts')}
        >
          {counts.map(({ status: s, count }) => (
            <Chip
              key={s}
              role="listitem"
              variant="outlined"
              size="small"
              label={t('fleet.statusCount', {
                label: t(`status.overall.${s}`),
                n: String(count),
              })}
              data-testid={`fleet-count-${s}`}
              data-count={count}
            />
          ))}
        </Box>
        {filtered && (
          <Button
            variant="text"
            onClick={() =>
              update(
                Object.fromEntries(
                  [...FILTER_KEYS, 'page'].map(key => [key, undefined]),
                ),
              )
            }
            data-testid="fleet-clear-filters"
          >
            {t('fleet.clearFilters')}
          </Button>
        )}
        <Button
          variant="outlined"
          color="primary"
          startIcon={<RefreshIcon />}
          onClick={onReload}
          data-testid="fleet-reload"
        >
          {t('fleet.reload')}
        </Button>
      </Box>
      <Table<FleetRow>
        // A new filter or page size is a new list: remount so it opens on the page the URL names.
        key={`${FILTER_KEYS.map(key => searchParams.get(key) ?? '').join(
          '\n',
        )}\n${pageSize}`}
        title={t('fleet.tableTitle', {
          shown: String(rows.length),
          total: String(allRows.length),
        })}
        subtitle={t('fleet.generatedAt', {
          time: new Date(summary.generatedAt).toLocaleString(),
        })}
        columns={columns}
        data={rows}
        options={{
          paging: true,
          pageSize,
          initialPage: page,
          pageSizeOptions: PAGE_SIZES,
          emptyRowsWhenPaging: false,
          // Search is the field above, so that it is in the URL.
          search: false,
          padding: 'dense',
          // Rows come worst first; search and filters replace column sorting, whose header buttons
          // material-table nests inside focusable cells (axe: nested-interactive).
          sorting: false,
          // Column dragging makes each header a button too.
          draggable: false,
        }}
        onPageChange={p => update({ page: p > 0 ? p + 1 : undefined })}
        onRowsPerPageChange={size =>
          update({
            pageSize: size === DEFAULT_PAGE_SIZE ? undefined : size,
            page: undefined,
          })
        }
        components={{ Row: FleetTableRow }}
        emptyContent={
          <Box p={2} data-testid="fleet-empty">
            <Typography variant="body2">
              {allRows.length === 0
                ? t('fleet.emptyFleet')
                : t('fleet.noMatch')}
            </Typography>
          </Box>
        }
      />
    </>
  );
};

const FleetContent = () => {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  const { value, loading, error, retry } = useFleetSummary();
  if (error) {
    return (
      <Box data-testid="fleet-error">
        <ResponseErrorPanel error={error} title={t('fleet.unavailable')} />
      </Box>
    );
  }
  if (!value || loading) {
    return (
      <Box data-testid="fleet-loading">
        <Progress aria-label={t('fleet.loading')} />
      </Box>
    );
  }
  return <FleetTable summary={value} onReload={retry} />;
};

/** The platform team's view of every model endpoint the user can see. */

export const FleetPage = () => {
  const { t } = useTranslationRef(servingHealthTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('fleet.title')} subtitle={t('fleet.subtitle')} />
      <Content>
        <ContentHeader title={t('fleet.heading')} />
        <FleetContent />
      </Content>
    </Page>
  );
};
