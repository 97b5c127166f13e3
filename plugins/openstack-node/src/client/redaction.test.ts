import { REDACTED, Redactor } from './redaction';

describe('Redactor', () => {
  const redactor = new Redactor(['s3cret-pass', 'app-cred-secret', undefined]);

  it('redacts secret headers by name, whatever their case', () => {
    expect(
      redactor.headers({
        'X-Auth-Token': 'gAAAAAB',
        'X-Subject-Token': 'gAAAAAC',
        Authorization: 'Bearer eyJ',
        'Content-Type': 'application/json',
      }),
    ).toEqual({
      'x-auth-token': REDACTED,
      'x-subject-token': REDACTED,
      authorization: REDACTED,
      'content-type': 'application/json',
    });
  });

  it('redacts secret JSON keys and known secret values anywhere', () => {
    const body = {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', password: 'whatever' } },
          application_credential: { id: 'abc', secret: 'app-cred-secret' },
        },
      },
      message: 'login for admin with s3cret-pass failed',
    };
    expect(redactor.json(body)).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', password: REDACTED } },
          application_credential: { id: 'abc', secret: REDACTED },
        },
      },
      message: `login for admin with ${REDACTED} failed`,
    });
  });

  it('learns new secrets without forgetting the old ones', () => {
    const withToken = redactor.with('gAAAAABtoken');
    expect(withToken.text('token gAAAAABtoken pass s3cret-pass')).toBe(
      `token ${REDACTED} pass ${REDACTED}`,
    );
    expect(redactor.text('gAAAAABtoken')).toBe('gAAAAABtoken');
  });
});
