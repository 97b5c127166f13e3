import { TableColumn } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import Table, { TableProps } from '@material-ui/core/Table';

// Backstage's theme breaks table text anywhere (word-break: break-word), so a table squeezed
// into a phone's width split "Workspace" or "Role" mid-word. Here words stay whole and a table
// wider than the screen scrolls sideways in its own box, not the page.
const useStyles = makeStyles({
  scroller: { overflowX: 'auto' },
  table: {
    '& th, & td': { wordBreak: 'normal', overflowWrap: 'normal' },
  },
});

/** An MUI Table that keeps its words whole and scrolls sideways when the screen is narrower. */
export const WideTable = (props: TableProps & { 'aria-label': string }) => {
  const classes = useStyles();
  return (
    // Focusable and named: a keyboard scrolls the box too, even when no cell holds a link
    // (axe: scrollable-region-focusable).
    <div
      className={classes.scroller}
      role="region"
      aria-label={props['aria-label']}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
    >
      <Table
        {...props}
        className={[classes.table, props.className].filter(Boolean).join(' ')}
      />
    </div>
  );
};

/**
 * The same for the columns of Backstage's Table (material-table), which scrolls sideways
 * already: whole-word cells and headers. Each column gets style objects of its own: Backstage's
 * Table writes the highlighted column's bold into them, which a shared object passed on to
 * every column of every table.
 */
export function wholeWordsColumns<T extends object>(
  columns: TableColumn<T>[],
): TableColumn<T>[] {
  return columns.map(column => ({
    ...column,
    cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
    headerStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
  }));
}
