export { SiteConsole } from './SiteConsole';
