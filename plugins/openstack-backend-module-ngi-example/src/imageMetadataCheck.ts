import type {
  Check,
  CheckOutcome,
  ScanContext,
} from '@fedstack/plugin-openstack-node';

/** The image properties EGI's information system publishes and users pick images by. */
const REQUIRED_PROPERTIES = ['os_distro', 'os_version'] as const;

/**
 * What Glance says of an image, as far as this check reads it.
 *
 * @public
 */
export interface ListedImage {
  id: string;
  name?: string | null;
  status: string;
  [property: string]: unknown;
}

/**
 * The verdict on a site's public images: every active one should say which operating system it
 * holds (`os_distro`, `os_version`: Glance's common image properties), as cloud-info-provider
 * publishes them to EGI's information system and users choose images by them.
 *
 * @public
 */
export function judgeImageMetadata(
  images: readonly ListedImage[],
): CheckOutcome {
  const active = images.filter(image => image.status === 'active');
  if (active.length === 0) {
    return {
      status: 'fail',
      message: 'The site offers no active public image',
      details: { publicImages: images.length },
    };
  }
  const undescribed = active
    .map(image => ({
      image: image.name ?? image.id,
      missing: REQUIRED_PROPERTIES.filter(
        property =>
          typeof image[property] !== 'string' ||
          (image[property] as string).trim() === '',
      ),
    }))
    .filter(({ missing }) => missing.length > 0);
  if (undescribed.length === active.length) {
    return {
      status: 'fail',
      message: `None of the ${
        active.length
      } active public images declares ${REQUIRED_PROPERTIES.join(' and ')}`,
      details: { undescribed },
    };
  }
  if (undescribed.length > 0) {
    return {
      status: 'warn',
      message: `${undescribed.length} of ${
        active.length
      } active public images lack ${REQUIRED_PROPERTIES.join(
        ' or ',
      )}: ${undescribed.map(({ image }) => image).join(', ')}`,
      details: { undescribed },
    };
  }
  return {
    status: 'pass',
    message: `All ${
      active.length
    } active public images declare ${REQUIRED_PROPERTIES.join(' and ')}`,
    details: {
      images: active.map(image => ({
        image: image.name ?? image.id,
        os_distro: image.os_distro,
        os_version: image.os_version,
      })),
    },
  };
}

/**
 * An NGI's own requirement, as a check: the site's public images say what they hold. Reads
 * Glance with the site's reader account; the engine records the request as its evidence.
 *
 * @public
 */
export const imageMetadataCheck: Check<ScanContext> = {
  metadata: {
    id: 'ngi.image-metadata',
    title: 'Public images declare their operating system',
    area: 'services',
    severity: 'minor',
    reads:
      "Glance's image list (`GET /v2/images?visibility=public`, every page) with the reader's token.",
    rule: 'Fails when no active public image exists or none declares both `os_distro` and `os_version`; warns when some active public images lack one of them; errors when Glance cannot be read; passes otherwise.',
    remediation:
      'Set the os_distro and os_version properties on every public image (`openstack image set --property os_distro=ubuntu --property os_version=22.04 IMAGE`).',
    docsUrl:
      'https://docs.openstack.org/glance/latest/admin/useful-image-properties.html',
    // A built-in check as prerequisite: without Keystone there is no token to read Glance with.
    requires: ['keystone.reachable'],
  },
  async run({ sessions }) {
    const images = await sessions.reader.image.images({ visibility: 'public' });
    if (!images.ok) {
      return {
        status: 'error',
        message: `Glance's image list could not be read: ${images.error.message}`,
      };
    }
    return judgeImageMetadata(images.data);
  },
};
