import {
  CopyTextButton,
  Link,
  MarkdownContent,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CheckResultResponse,
  CheckResultSummary,
  Evidence,
  EvidenceSummary,
} from '@fedstack/plugin-openstack-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
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
const Requests = (props: {
  check: CheckResultSummary;
  full: AsyncStateRetry<CheckResultResponse | undefined>;
}) => {
  const { check, full } = props;
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

/** `user`, `user and roles`: the keys of details withheld, as a sentence names them. */
function keyList(keys: readonly string[]): string {
  if (keys.length <= 1) return keys.join('');
  return `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
}

/**
 * The check's details: as every reader sees them, or all of them once the site's owner has the
 * full result. What is withheld (names of accounts or people) is said, not left out silently.
 */
const Details = (props: {
  check: CheckResultSummary;
  full: CheckResultResponse | undefined;
}) => {
  const classes = useStyles();
  const { check, full } = props;
  const owner = full?.evidenceDetail === 'full';
  const details = owner ? full.result.details : check.details;
  const withheld = owner ? [] : check.withheldDetails ?? [];
  const shown = details && Object.keys(details).length > 0;
  if (!shown && withheld.length === 0) return null;
  return (
    <>
      <Typography variant="subtitle2" component="h4">
        Details
      </Typography>
      {withheld.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          {`The details that name accounts or people (${keyList(
            withheld,
          )}) are shown to the site's owners (those who may scan it) only.`}
        </Typography>
      )}
      {shown && (
        <pre className={classes.monospace} aria-label="Details as JSON">
          {JSON.stringify(details, null, 2)}
        </pre>
      )}
    </>
  );
};

/** What a check saw and how to fix it: shown when its row is expanded. */
export const CheckEvidence = (props: {
  scanId: string;
  check: CheckResultSummary;
}) => {
  const { scanId, check } = props;
  const openstackApi = useApi(openstackApiRef);
  // The full result has the headers, bodies and withheld details, for the site's owners.
  const wanted =
    check.evidence.length > 0 || (check.withheldDetails ?? []).length > 0;
  const full = useAsyncRetry(
    async () =>
      wanted ? openstackApi.getCheckResult(scanId, check.checkId) : undefined,
    [openstackApi, scanId, check.checkId, wanted],
  );
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
        <Requests check={check} full={full} />
      )}

      <Details check={check} full={full.value} />
    </Box>
  );
};
