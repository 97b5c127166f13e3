import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes only fields that need it, and ends every row with CRLF', () => {
    expect(
      toCsv([
        ['site', 'message'],
        ['default/site-a', 'Keystone says "no", twice\nthen stops'],
        [null, undefined, 3],
      ]),
    ).toBe(
      'site,message\r\ndefault/site-a,"Keystone says ""no"", twice\nthen stops"\r\n,,3\r\n',
    );
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    expect(toCsv([['=HYPERLINK("http://x")', '-1', '@SUM', 'a=b']])).toBe(
      `"'=HYPERLINK(""http://x"")",'-1,'@SUM,a=b\r\n`,
    );
  });
});
