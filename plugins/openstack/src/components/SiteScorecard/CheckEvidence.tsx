import { Link, MarkdownContent } from '@backstage/core-components';
import { CheckResult, Evidence } from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';

const useStyles = makeStyles(theme => ({
  monospace: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    maxHeight: 320,
    overflow: 'auto',
    margin: theme.spacing(1, 0),
    padding: theme.spacing(1),
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
}));

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

/** One request the check made, as an operator would read it in a terminal. */
const EvidenceBlock = (props: { evidence: Evidence }) => {
  const classes = useStyles();
  const { evidence } = props;
  const outcome =
    evidence.error ??
    (evidence.status === undefined ? 'no answer' : `HTTP ${evidence.status}`);
  const lines = [
    `${evidence.method} ${evidence.url}`,
    headerLines(evidence.requestHeaders),
    evidence.requestBody ? `\n${evidence.requestBody}` : '',
    '',
    `→ ${outcome} in ${Math.round(evidence.durationMs)} ms (${evidence.at})`,
    headerLines(evidence.responseHeaders),
    evidence.responseBody ? `\n${evidence.responseBody}` : '',
    evidence.truncated ? '\n[body cut short]' : '',
  ].filter((line, index) => line !== '' || index === 3);
  return (
    <pre
      className={classes.monospace}
      aria-label={`Request ${evidence.method} ${evidence.url}`}
    >
      {lines.join('\n')}
    </pre>
  );
};

/** What a check saw and how to fix it: shown when its row is expanded. */
export const CheckEvidence = (props: { check: CheckResult }) => {
  const classes = useStyles();
  const { check } = props;
  return (
    <Box width="100%">
      <Typography variant="subtitle2" component="h4">
        Remediation
      </Typography>
      <MarkdownContent content={check.remediation} />
      <Typography variant="body2">
        <Link to={check.docsUrl}>Documentation for {check.checkId}</Link>
      </Typography>

      <Typography variant="subtitle2" component="h4" style={{ marginTop: 16 }}>
        Evidence ({check.evidence.length}{' '}
        {check.evidence.length === 1 ? 'request' : 'requests'}, check took{' '}
        {Math.round(check.durationMs)} ms)
      </Typography>
      {check.evidence.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          This check made no requests.
        </Typography>
      )}
      {check.evidence.map((evidence, index) => (
        <EvidenceBlock key={index} evidence={evidence} />
      ))}

      {check.details && Object.keys(check.details).length > 0 && (
        <>
          <Typography variant="subtitle2" component="h4">
            Details
          </Typography>
          <pre className={classes.monospace} aria-label="Details as JSON">
            {JSON.stringify(check.details, null, 2)}
          </pre>
        </>
      )}
    </Box>
  );
};
