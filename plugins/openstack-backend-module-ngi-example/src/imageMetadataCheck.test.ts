import { judgeImageMetadata } from './imageMetadataCheck';

// Glance's answer on sandbox site-a (GET /v2/images?visibility=public as admin, 2026-12-07),
// cut to the fields the check reads; the other cases change only the properties it judges.
const egiProbeImage = {
  id: 'f3ed3be2-2121-45f9-84f8-ea0c8ddcc55b',
  name: 'egi-probe-image',
  status: 'active',
  visibility: 'public',
  os_distro: 'ubuntu',
  os_version: '22.04',
};

describe('the NGI example check', () => {
  it('passes when every active public image declares its operating system', () => {
    expect(judgeImageMetadata([egiProbeImage])).toMatchObject({
      status: 'pass',
    });
  });

  it('warns when some lack a property, naming them', () => {
    const { os_version: _, ...withoutVersion } = egiProbeImage;
    const outcome = judgeImageMetadata([
      egiProbeImage,
      { ...withoutVersion, id: 'b', name: 'bare' },
    ]);
    expect(outcome).toMatchObject({
      status: 'warn',
      message: '1 of 2 active public images lack os_distro or os_version: bare',
    });
  });

  it('fails when none does, or when there is no active public image', () => {
    expect(
      judgeImageMetadata([{ ...egiProbeImage, os_distro: ' ' }]).status,
    ).toBe('fail');
    expect(
      judgeImageMetadata([{ ...egiProbeImage, status: 'queued' }]),
    ).toMatchObject({
      status: 'fail',
      message: 'The site offers no active public image',
    });
  });
});
