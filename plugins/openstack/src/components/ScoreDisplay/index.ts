export {
  CheckStatusLabel,
  NotScannedLabel,
  ReadinessLabel,
  StatusLabel,
} from './CheckStatusLabel';
export { ScoreChip, scoreBand } from './ScoreChip';
export { describeChanges, relativeTime, scanTime } from './scanTime';
