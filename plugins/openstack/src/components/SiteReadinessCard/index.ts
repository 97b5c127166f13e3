export { SiteReadinessCard } from './SiteReadinessCard';
