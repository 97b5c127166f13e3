/**
 * An example backend module for the OpenStack backend: an NGI's own check and profile.
 *
 * @packageDocumentation
 */
export { openstackModuleNgiExample as default } from './module';
export {
  imageMetadataCheck,
  judgeImageMetadata,
  type ListedImage,
} from './imageMetadataCheck';
