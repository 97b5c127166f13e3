import { Progress } from '@backstage/core-components';
import IconButton from '@material-ui/core/IconButton';
import InputAdornment from '@material-ui/core/InputAdornment';
import Paper from '@material-ui/core/Paper';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ChevronLeft from '@material-ui/icons/ChevronLeft';
import ChevronRight from '@material-ui/icons/ChevronRight';
import Clear from '@material-ui/icons/Clear';
import FirstPage from '@material-ui/icons/FirstPage';
import LastPage from '@material-ui/icons/LastPage';
import Search from '@material-ui/icons/Search';
import {
  memo,
  MouseEvent,
  ReactNode,
  useDeferredValue,
  useMemo,
  useState,
} from 'react';

/**
 * A column of the fleet table. `text` is what the filter searches and, without `compare`, what
 * the column sorts by; `render` draws the cell (the text, or `emptyValue` without it, otherwise).
 */
export interface FleetTableColumn<T> {
  title: string;
  text?: (row: T) => string | undefined;
  compare?: (a: T, b: T) => number;
  render?: (row: T) => ReactNode;
  emptyValue?: string;
  /** Bold, as Backstage's Table shows its highlighted column. */
  highlight?: boolean;
}

export interface FleetTableSort {
  column: number;
  direction: 'asc' | 'desc';
}

// Backstage's Table (material-table) look: its toolbar, header and highlighted column.
const useStyles = makeStyles(
  theme => ({
    toolbar: {
      display: 'flex',
      alignItems: 'center',
      // On a phone the filter goes under the title rather than squeezing it.
      flexWrap: 'wrap',
      gap: theme.spacing(1),
      padding: theme.spacing(3, 0, 2.5, 2.5),
    },
    title: {
      flex: '1 1 auto',
    },
    // A narrow screen scrolls the table sideways rather than squeezing it: Backstage's theme
    // breaks table text anywhere (break-word), which split names mid-word on a phone.
    scroller: {
      overflowX: 'auto',
    },
    cell: {
      wordBreak: 'normal',
      overflowWrap: 'normal',
    },
    // The first column (the row's name) stays in sight while the table scrolls sideways.
    sticky: {
      position: 'sticky',
      left: 0,
      zIndex: 1,
      // Opaque, so that the columns scrolled under it do not show through; striped as its row.
      backgroundColor: theme.palette.background.paper,
      'tbody tr:nth-of-type(odd) > &': { backgroundColor: 'inherit' },
    },
    // The page's buttons go under the counts on a phone, rather than off its edge.
    paginationToolbar: {
      flexWrap: 'wrap',
      justifyContent: 'flex-end',
    },
    paginationSpacer: {
      display: 'none',
    },
    search: {
      paddingRight: theme.spacing(2),
    },
    header: {
      padding: theme.spacing(1, 2, 1, 2.5),
      borderTop: `1px solid ${theme.palette.grey.A100}`,
      borderBottom: `1px solid ${theme.palette.grey.A100}`,
      fontWeight: theme.typography.fontWeightBold as number,
      wordBreak: 'normal',
      textTransform: 'uppercase',
    },
    highlightHeader: {
      color: (theme.palette as { textContrast?: string }).textContrast,
    },
    highlight: {
      fontWeight: theme.typography.fontWeightBold as number,
    },
    pagination: {
      display: 'flex',
      flexShrink: 0,
      color: theme.palette.text.secondary,
    },
  }),
  { name: 'OpenStackFleetTable' },
);

// "Site 9" before "Site 10", and case aside.
const collator = new Intl.Collator('en-US', {
  numeric: true,
  sensitivity: 'base',
});

function sortRows<T>(
  rows: T[],
  columns: FleetTableColumn<T>[],
  sort: FleetTableSort | undefined,
): T[] {
  const column = sort && columns[sort.column];
  if (!sort || !column || (!column.compare && !column.text)) {
    return rows;
  }
  const text = column.text;
  const compare =
    column.compare ??
    ((a: T, b: T) => collator.compare(text?.(a) ?? '', text?.(b) ?? ''));
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare(a, b));
}

const PaginationActions = (props: {
  count: number;
  page: number;
  rowsPerPage: number;
  onPageChange: (
    event: MouseEvent<HTMLButtonElement> | null,
    page: number,
  ) => void;
}) => {
  const classes = useStyles();
  const { count, page, rowsPerPage, onPageChange } = props;
  const lastPage = Math.max(0, Math.ceil(count / rowsPerPage) - 1);
  return (
    <div className={classes.pagination}>
      <IconButton
        aria-label="First Page"
        disabled={page === 0}
        onClick={event => onPageChange(event, 0)}
      >
        <FirstPage />
      </IconButton>
      <IconButton
        aria-label="Previous Page"
        disabled={page === 0}
        onClick={event => onPageChange(event, page - 1)}
      >
        <ChevronLeft />
      </IconButton>
      <IconButton
        aria-label="Next Page"
        disabled={page >= lastPage}
        onClick={event => onPageChange(event, page + 1)}
      >
        <ChevronRight />
      </IconButton>
      <IconButton
        aria-label="Last Page"
        disabled={page >= lastPage}
        onClick={event => onPageChange(event, lastPage)}
      >
        <LastPage />
      </IconButton>
    </div>
  );
};

type FleetTableClasses = ReturnType<typeof useStyles>;

/** A body cell's classes: words kept whole, the first column kept in sight, the highlight. */
function cellClass(
  classes: FleetTableClasses,
  index: number,
  highlight?: boolean,
): string {
  return [
    classes.cell,
    index === 0 && classes.sticky,
    highlight && classes.highlight,
  ]
    .filter(Boolean)
    .join(' ');
}

interface RowProps<T> {
  row: T;
  columns: FleetTableColumn<T>[];
  classes: FleetTableClasses;
}

function Row<T>(props: RowProps<T>) {
  const { row, columns, classes } = props;
  return (
    <TableRow>
      {columns.map((column, index) => {
        const text = column.text?.(row);
        return (
          <TableCell
            key={column.title}
            className={cellClass(classes, index, column.highlight)}
          >
            {column.render ? column.render(row) : text || column.emptyValue}
          </TableCell>
        );
      })}
    </TableRow>
  );
}

// Memoised: a row re-renders only when its data or the columns change, not for every keystroke
// in the filter or change of page.
const FleetTableRow = memo(Row) as typeof Row;

/**
 * The fleet's table: Backstage's Table look (title, "Filter" search, sortable columns, pages)
 * without material-table, which copied, sorted and searched every one of 1000 sites again on
 * each render and debounced the search by 200 ms. Here the rows are filtered and sorted once per
 * change, the search answers as typed (deferred, so typing stays responsive), and only the shown
 * page is rendered.
 */
export function FleetTable<T>(props: {
  title: string;
  subtitle?: string;
  columns: FleetTableColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  loading?: boolean;
  initialSort?: FleetTableSort;
  /** The search to start with (e.g. from the page's URL). */
  initialSearch?: string;
  /** Told of each change of the search and the sort, e.g. to keep them in the URL. */
  onSearchChange?: (search: string) => void;
  onSortChange?: (sort: FleetTableSort) => void;
  pageSizeOptions: number[];
  initialPageSize: number;
}) {
  const { title, subtitle, columns, rows, rowKey, loading } = props;
  const classes = useStyles();
  const [search, setSearchState] = useState(props.initialSearch ?? '');
  const [sort, setSortState] = useState(props.initialSort);
  const { onSearchChange, onSortChange } = props;
  const setSearch = (next: string) => {
    setSearchState(next);
    onSearchChange?.(next);
  };
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(props.initialPageSize);
  const searched = useDeferredValue(search.trim().toLocaleLowerCase('en-US'));

  // What the filter searches, lower-cased once per row.
  const haystacks = useMemo(
    () =>
      rows.map(row =>
        columns
          .map(column => column.text?.(row) ?? '')
          .join('\n')
          .toLocaleLowerCase('en-US'),
      ),
    [rows, columns],
  );
  const found = useMemo(
    () =>
      searched ? rows.filter((_, i) => haystacks[i].includes(searched)) : rows,
    [rows, haystacks, searched],
  );
  const sorted = useMemo(
    () => sortRows(found, columns, sort),
    [found, columns, sort],
  );
  const lastPage = Math.max(0, Math.ceil(sorted.length / pageSize) - 1);
  const shownPage = Math.min(page, lastPage);
  const shown = sorted.slice(shownPage * pageSize, (shownPage + 1) * pageSize);

  const onSort = (column: number) => {
    const next: FleetTableSort =
      sort?.column === column && sort.direction === 'asc'
        ? { column, direction: 'desc' }
        : { column, direction: 'asc' };
    setSortState(next);
    onSortChange?.(next);
  };

  return (
    <Paper>
      <div className={classes.toolbar}>
        <div className={classes.title}>
          <Typography variant="h5" component="h2">
            {title}
          </Typography>
          {subtitle && (
            <Typography color="textSecondary" variant="body1">
              {subtitle}
            </Typography>
          )}
        </div>
        <TextField
          className={classes.search}
          value={search}
          placeholder="Filter"
          onChange={event => {
            setSearch(event.target.value);
            setPage(0);
          }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <Search fontSize="small" />
              </InputAdornment>
            ),
            endAdornment: (
              <InputAdornment position="end">
                <IconButton
                  aria-label="Clear filter"
                  disabled={!search}
                  onClick={() => {
                    setSearch('');
                    setPage(0);
                  }}
                >
                  <Clear fontSize="small" />
                </IconButton>
              </InputAdornment>
            ),
            inputProps: { 'aria-label': 'Filter' },
          }}
        />
      </div>
      <div className={classes.scroller}>
        <Table size="small">
          <TableHead>
            <TableRow>
              {columns.map((column, index) => {
                const direction =
                  sort?.column === index ? sort.direction : undefined;
                return (
                  <TableCell
                    key={column.title}
                    className={[
                      classes.header,
                      index === 0 && classes.sticky,
                      column.highlight && classes.highlightHeader,
                    ]
                      .filter(Boolean)
                      .join(' ')}
                    sortDirection={direction ?? false}
                  >
                    {column.compare || column.text ? (
                      <TableSortLabel
                        active={direction !== undefined}
                        direction={direction ?? 'asc'}
                        onClick={() => onSort(index)}
                      >
                        {column.title}
                      </TableSortLabel>
                    ) : (
                      column.title
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          </TableHead>
          <TableBody>
            {loading && (
              <TableRow>
                <TableCell colSpan={columns.length}>
                  <Progress />
                </TableCell>
              </TableRow>
            )}
            {!loading && shown.length === 0 && (
              <TableRow>
                <TableCell colSpan={columns.length} align="center">
                  No records to display
                </TableCell>
              </TableRow>
            )}
            {!loading &&
              shown.map(row => (
                <FleetTableRow
                  key={rowKey(row)}
                  row={row}
                  columns={columns}
                  classes={classes}
                />
              ))}
          </TableBody>
        </Table>
      </div>
      {/* Outside the scrolling table: a phone sees the pages' buttons without scrolling. */}
      <TablePagination
        component="div"
        classes={{
          toolbar: classes.paginationToolbar,
          spacer: classes.paginationSpacer,
        }}
        count={sorted.length}
        page={shownPage}
        rowsPerPage={pageSize}
        rowsPerPageOptions={props.pageSizeOptions}
        onPageChange={(_event, next) => setPage(next)}
        onRowsPerPageChange={event => {
          setPageSize(Number(event.target.value));
          setPage(0);
        }}
        labelDisplayedRows={({ from, to, count }) =>
          `${from}-${to} of ${count}`
        }
        SelectProps={{ renderValue: value => `${value} rows` }}
        ActionsComponent={PaginationActions}
      />
    </Paper>
  );
}
