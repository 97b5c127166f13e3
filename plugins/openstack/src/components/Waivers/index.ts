export { FleetWaivers } from './FleetWaivers';
export { SiteWaivers } from './SiteWaivers';
export { WaivedChip } from './WaivedChip';
