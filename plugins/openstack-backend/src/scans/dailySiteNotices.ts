import { WaiverStore } from '../waivers/WaiverStore';
import { SiteNotices } from './siteNotices';

/**
 * The daily part of site notices: owners of a site whose approved waiver ends within `days`
 * are told once; then, with a daily digest, each site's waiting changes go out as one.
 */
export async function sendDailySiteNotices(options: {
  notices: SiteNotices;
  waivers: WaiverStore;
  days: number;
  now?: () => Date;
}): Promise<void> {
  const now = (options.now ?? (() => new Date()))();
  for (const waiver of await options.waivers.claimExpiring(now, options.days)) {
    await options.notices.tell(waiver.siteRef, [
      {
        kind: 'waiver-expiring',
        subject: waiver.id,
        text: `the waiver of ${waiver.checkId} ends on ${waiver.expiresAt.slice(
          0,
          10,
        )} (${waiver.reason}); after that its failure counts again`,
      },
    ]);
  }
  await options.notices.sendDigests();
}
