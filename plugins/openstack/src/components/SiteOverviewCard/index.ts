export { SiteOverviewCard } from './SiteOverviewCard';
