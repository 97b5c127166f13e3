import {
  CopyTextButton,
  Link,
  MarkdownContent,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CheckResultSummary,
  Evidence,
  EvidenceSummary,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { openstackApiRef } from '../../api';

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

/** A JSON body indented as an operator would read it; any other body as it came. */
export function readableBody(body: string): string {
  const trimmed = body.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return body;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return body; // cut short, or not JSON after all
  }
}

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

function outcomeLine(evidence: EvidenceSummary): string {
  const outcome =
    evidence.error ??
    (evidence.status === undefined ? 'no answer' : `HTTP ${evidence.status}`);
  return `→ ${outcome} in ${Math.round(evidence.durationMs)} ms (${
    evidence.at
  })`;
}

/** One request the check made, as an operator would read it in a terminal. */
const EvidenceBlock = (props: { evidence: Evidence | EvidenceSummary }) => {
  const classes = useStyles();
  const { evidence } = props;
  if (!('requestHeaders' in evidence)) {
    return (
      <pre
        className={classes.monospace}
        aria-label={`Request ${evidence.method} ${evidence.url}`}
      >
        {`${evidence.method} ${evidence.url}\n${outcomeLine(evidence)}`}
      </pre>
    );
  }
  const lines = [
    `${evidence.method} ${evidence.url}`,
    headerLines(evidence.requestHeaders),
    evidence.requestBody ? `\n${readableBody(evidence.requestBody)}` : '',
    '',
    outcomeLine(evidence),
    headerLines(evidence.responseHeaders),
    evidence.responseBody ? `\n${readableBody(evidence.responseBody)}` : '',
    evidence.truncated ? '\n[body cut short]' : '',
  ].filter((line, index) => line !== '' || index === 3);
  const text = lines.join('\n');
  return (
    <Box position="relative">
      <Box position="absolute" top={4} right={4}>
        <CopyTextButton
          text={text}
          tooltipText="Copied"
          aria-label={`Copy the request ${evidence.method} ${evidence.url}`}
        />
      </Box>
      <pre
        className={classes.monospace}
        aria-label={`Request ${evidence.method} ${evidence.url}`}
      >
        {text}
      </pre>
    </Box>
  );
};

/**
 * The requests of one check, loaded when its row is expanded: with headers and bodies for the
 * site's owners, summarized (and saying why) for other readers.
 */
const Requests = (props: { scanId: string; check: CheckResultSummary }) => {
  const { scanId, check } = props;
  const openstackApi = useApi(openstackApiRef);
  const full = useAsyncRetry(
    () => openstackApi.getCheckResult(scanId, check.checkId),
    [openstackApi, scanId, check.checkId],
  );
  if (full.error) {
    return (
      <WarningPanel
        severity="error"
        title="The evidence could not be loaded"
        message={full.error.message}
        defaultExpanded
      >
        <Button variant="outlined" onClick={full.retry}>
          Try again
        </Button>
      </WarningPanel>
    );
  }
  if (!full.value) {
    return (
      <Box
        role="status"
        aria-label={`Loading the evidence of ${check.checkId}`}
      >
        <Progress />
      </Box>
    );
  }
  const answer = full.value;
  return (
    <>
      {answer.evidenceDetail === 'summary' && (
        <Typography variant="body2" color="textSecondary">
          {answer.withheld}
        </Typography>
      )}
      {answer.result.evidence.map((evidence, index) => (
        <EvidenceBlock key={index} evidence={evidence} />
      ))}
    </>
  );
};

/** What a check saw and how to fix it: shown when its row is expanded. */
export const CheckEvidence = (props: {
  scanId: string;
  check: CheckResultSummary;
}) => {
  const classes = useStyles();
  const { scanId, check } = props;
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
      {check.evidence.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          This check made no requests.
        </Typography>
      ) : (
        <Requests scanId={scanId} check={check} />
      )}

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
