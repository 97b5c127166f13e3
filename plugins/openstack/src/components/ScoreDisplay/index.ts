export {
  CheckStatusLabel,
  NotScannedLabel,
  ReadinessLabel,
  StatusLabel,
} from './CheckStatusLabel';
export { ErrorText, errorTextColor } from './ErrorText';
export {
  incompleteReason,
  notEvaluatedReasons,
  notEvaluatedSummary,
} from './notEvaluated';
export { ScoreChip, scoreBand } from './ScoreChip';
export {
  describeChanges,
  formatDuration,
  relativeTime,
  scanTime,
} from './scanTime';
