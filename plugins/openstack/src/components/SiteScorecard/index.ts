export { SiteScorecard } from './SiteScorecard';
