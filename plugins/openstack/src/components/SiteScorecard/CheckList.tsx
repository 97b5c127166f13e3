import { InfoCard } from '@backstage/core-components';
import {
  CheckResultSummary,
  CheckStatus,
} from '@fedstack/plugin-openstack-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useMemo, useState } from 'react';
import { CheckStatusLabel } from '../ScoreDisplay';
import { WaivedChip } from '../Waivers';
import { CheckEvidence } from './CheckEvidence';

/** The requirement areas, in the order an operator fixes them. */
const areaTitles: Record<string, string> = {
  identity: 'Identity (Keystone)',
  services: 'Services and ports',
  federation: 'Federation (OpenID Connect)',
  vo: 'VO projects',
  accounting: 'Accounting',
  accounts: 'Platform accounts',
  registration: 'Registration',
};
const areaOrder = Object.keys(areaTitles);

/** Problems first within an area, then what was not evaluated, then passes. */
const statusRank: Record<CheckStatus, number> = {
  fail: 0,
  error: 1,
  warn: 2,
  skip: 3,
  pass: 4,
};

/** How the count lines name a status. */
const statusWords: Record<CheckStatus, string> = {
  fail: 'fail',
  error: 'error',
  warn: 'warn',
  skip: 'not evaluated',
  pass: 'pass',
};

const useStyles = makeStyles(theme => ({
  // Status, title and severity on a line, the message under the title. minmax(0, …): a long
  // title or message wraps within the row instead of widening it past the card.
  summary: {
    display: 'grid',
    gridTemplateColumns: '7rem minmax(0, 1fr) auto',
    gridTemplateAreas: '"status title severity" ". message message"',
    alignItems: 'baseline',
    columnGap: theme.spacing(2),
    width: '100%',
    minWidth: 0,
    // On a phone 7rem of status would leave the title a sliver: status and severity on the
    // first line, the title and the message under them at full width.
    [theme.breakpoints.down('xs')]: {
      gridTemplateColumns: 'minmax(0, 1fr) auto',
      gridTemplateAreas: '"status severity" "title title" "message message"',
      rowGap: theme.spacing(0.5),
    },
  },
  status: { gridArea: 'status' },
  title: { gridArea: 'title', overflowWrap: 'break-word' },
  severity: {
    gridArea: 'severity',
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'flex-end',
    gap: theme.spacing(0.5),
  },
  message: { gridArea: 'message', overflowWrap: 'break-word' },
  checkId: { fontFamily: 'monospace', marginLeft: theme.spacing(1) },
  area: { marginTop: theme.spacing(2), marginBottom: theme.spacing(1) },
}));

function groupByArea(
  results: CheckResultSummary[],
): [string, CheckResultSummary[]][] {
  const groups = new Map<string, CheckResultSummary[]>();
  for (const result of results) {
    groups.set(result.area, [...(groups.get(result.area) ?? []), result]);
  }
  const rank = (area: string) =>
    areaOrder.includes(area) ? areaOrder.indexOf(area) : areaOrder.length;
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([area, checks]) => [
      area,
      [...checks].sort(
        (a, b) =>
          statusRank[a.status] - statusRank[b.status] ||
          a.checkId.localeCompare(b.checkId),
      ),
    ]);
}

function countLine(checks: CheckResultSummary[]): string {
  const counts = new Map<CheckStatus, number>();
  for (const check of checks) {
    counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
  }
  return (Object.keys(statusRank) as CheckStatus[])
    .filter(status => counts.has(status))
    .map(status => `${counts.get(status)} ${statusWords[status]}`)
    .join(', ');
}

const CheckRow = (props: {
  scanId: string;
  check: CheckResultSummary;
  expanded: boolean;
  onToggle: (expanded: boolean) => void;
}) => {
  const classes = useStyles();
  const { scanId, check } = props;
  const id = `openstack-check-${check.checkId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <Accordion
      TransitionProps={{ unmountOnExit: true }}
      expanded={props.expanded}
      onChange={(_, expanded) => props.onToggle(expanded)}
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        id={`${id}-header`}
        aria-controls={`${id}-details`}
      >
        <Box className={classes.summary}>
          <span className={classes.status}>
            <CheckStatusLabel status={check.status} />
          </span>
          <Typography variant="body1" className={classes.title}>
            {check.title}
            <Typography
              component="span"
              variant="body2"
              color="textSecondary"
              className={classes.checkId}
            >
              {check.checkId}
            </Typography>
          </Typography>
          <span className={classes.severity}>
            <Chip
              size="small"
              variant="outlined"
              label={check.severity}
              // Red only where a critical check did not pass: a passing row carries no alarm.
              color={
                check.severity === 'critical' &&
                (check.status === 'fail' || check.status === 'error')
                  ? 'secondary'
                  : 'default'
              }
            />
            {check.waiver && <WaivedChip waiver={check.waiver} />}
          </span>
          <Typography
            variant="body2"
            color="textSecondary"
            className={classes.message}
          >
            {check.message}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${id}-details`}>
        <CheckEvidence scanId={scanId} check={check} />
      </AccordionDetails>
    </Accordion>
  );
};

/**
 * Every check of a scan (`scanId`), by area; a row expands to its remediation and evidence, the
 * evidence loaded then.
 */
export const CheckList = (props: {
  scanId: string;
  results: CheckResultSummary[];
}) => {
  const classes = useStyles();
  const [problemsOnly, setProblemsOnly] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const shown = useMemo(
    () =>
      problemsOnly
        ? props.results.filter(check => check.status !== 'pass')
        : props.results,
    [props.results, problemsOnly],
  );
  const groups = useMemo(() => groupByArea(shown), [shown]);
  const allExpanded =
    shown.length > 0 && shown.every(check => expanded.has(check.checkId));
  const toggle = (checkId: string, open: boolean) =>
    setExpanded(current => {
      const next = new Set(current);
      if (open) next.add(checkId);
      else next.delete(checkId);
      return next;
    });
  return (
    <InfoCard title="Checks" subheader={countLine(props.results)}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <FormControlLabel
          control={
            <Switch
              checked={problemsOnly}
              onChange={event => setProblemsOnly(event.target.checked)}
              color="primary"
            />
          }
          label="Only what did not pass"
        />
        <Button
          variant="outlined"
          size="small"
          onClick={() =>
            setExpanded(
              allExpanded ? new Set() : new Set(shown.map(c => c.checkId)),
            )
          }
        >
          {allExpanded ? 'Collapse all' : 'Expand all'}
        </Button>
      </Box>
      {groups.length === 0 && (
        <Typography variant="body2">Every check passed.</Typography>
      )}
      {groups.map(([area, checks]) => (
        <section key={area} aria-label={areaTitles[area] ?? area}>
          <Typography variant="h6" component="h3" className={classes.area}>
            {areaTitles[area] ?? area}{' '}
            <Typography component="span" variant="body2" color="textSecondary">
              {countLine(checks)}
            </Typography>
          </Typography>
          {checks.map(check => (
            <CheckRow
              key={check.checkId}
              scanId={props.scanId}
              check={check}
              expanded={expanded.has(check.checkId)}
              onToggle={open => toggle(check.checkId, open)}
            />
          ))}
        </section>
      ))}
    </InfoCard>
  );
};
