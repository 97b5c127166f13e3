export { FleetRollup, rollupCsv, type RollupBy } from './FleetRollup';
export { GroupReadinessCard } from './GroupReadinessCard';
