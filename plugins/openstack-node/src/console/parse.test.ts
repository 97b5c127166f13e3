import { parseConsoleLine } from './execute';
import { MAX_LINE_LENGTH } from './parse';
import { recordedConsole, run } from './testSession';

// The console's grammar, and what it refuses. Hostile lines run against a session on the
// recorded site-a: had anything been asked, the session's request count would show it.

describe('console input that is refused, with nothing asked', () => {
  const recorded = recordedConsole();

  it.each([
    [
      'a command list',
      'project list; rm -rf /',
      /";" not allowed.*not a shell/,
    ],
    ['a substitution', 'user show $(id -u)', /"\$", "\(", "\)" not allowed/],
    ['backticks', 'user show `id`', /"`" not allowed/],
    ['a pipe', 'project list | grep admin', /"\|" not allowed/],
    ['a background job', 'project list &', /"&" not allowed/],
    ['a redirection', 'project list > /tmp/x', /">" not allowed/],
    ['an input redirection', 'project list < /etc/passwd', /"<" not allowed/],
    ['double quotes', 'user show "admin"', /""" not allowed/],
    ['single quotes', "user show 'admin'", /"'" not allowed/],
    ['a backslash', 'user show ad\\min', /"\\" not allowed/],
    [
      'a newline',
      'project list\nrm -rf /',
      /control character U\+000A at position 13/,
    ],
    ['a NUL', 'project list\u0000', /control character U\+0000/],
    [
      'an escape sequence',
      '\u001b[2Jproject list',
      /control character U\+001B/,
    ],
    ['a line separator', 'project list\u2028x', /control character U\+2028/],
    ['an unknown command', 'foo', /unknown command "foo"\. Only.*help/],
    [
      'a typo, with the nearest command',
      'sever list',
      /unknown command "sever list"\. Did you mean "server list"\?/,
    ],
    [
      'a typo in a three-word command',
      'role asignment list --names',
      /Did you mean "role assignment list"\?/,
    ],
    [
      'a typo in an option, with the nearest one',
      'server list --all-project',
      /has no option --all-project\. Did you mean --all-projects\?/,
    ],
    ['a shell command', 'rm -rf /', /unknown command "rm -rf \/"/],
    [
      'a write command',
      'server delete abc',
      /"server delete abc" would change the site \("delete"\); this console only reads/,
    ],
    [
      'a write command of a new list',
      'volume create --size 1 x',
      /would change the site \("create"\)/,
    ],
    ['a router write', 'router set --name x r1', /would change the site/],
    ['a quota write', 'quota set --cores 100 p1', /would change the site/],
    [
      'a password as an option',
      'server list --os-password secret',
      /"server list" has no option --os-password/,
    ],
    [
      'a cloud as an option',
      'volume list --os-cloud other',
      /has no option --os-cloud/,
    ],
    [
      'a token as an option',
      'limits show --absolute --os-token abc',
      /has no option --os-token/,
    ],
    [
      'a value for a flag',
      'server list --all-projects=yes',
      /--all-projects takes no value/,
    ],
    [
      'a flag given twice',
      'volume list --all-projects --all-projects',
      /given twice/,
    ],
    ['limits without --absolute', 'limits show', /absolute/],
    [
      'a command list after a new command',
      'image list; rm -rf /',
      /";" not allowed/,
    ],
    [
      'a substitution in quota show',
      'quota show $(whoami)',
      /"\$", "\(", "\)" not allowed/,
    ],
    ['a path as a project', 'quota show ../../v3/users', /PROJECT must start/],
    [
      'a URL as a usage project',
      'usage show --project http://evil/',
      /project must start/,
    ],
    [
      'a URL as a role assignment user',
      'role assignment list --user http://x/',
      /user must start/,
    ],
    [
      'a surplus argument to router list',
      'router list extra',
      /takes no arguments/,
    ],
    [
      'a surplus argument to floating ip list',
      'floating ip list x',
      /takes no arguments/,
    ],
    [
      'two projects to quota show',
      'quota show a b',
      /takes \[PROJECT\], got "a b"/,
    ],
    [
      'a URL as an id',
      'user show http://evil.example/',
      /USER must start with a letter/,
    ],
    [
      'a path as an id',
      'mapping show ../../v3/users',
      /MAPPING must start with a letter or digit/,
    ],
    ['an encoded path', 'user show a%2F..%2Fb', /USER must start/],
    [
      'an unknown option',
      'project list --all-projects',
      /has no option --all-projects/,
    ],
    ['a missing value', 'user list --domain', /--domain needs a value/],
    ['a missing argument', 'user show', /takes USER, got none/],
    [
      'a surplus argument',
      'project list extra',
      /takes no arguments, got "extra"/,
    ],
    [
      'a missing required option',
      'federation protocol list',
      /identity-provider is required/,
    ],
    [
      'an unknown check',
      'check nothing.here',
      /is not a check; checks: keystone\.reachable/,
    ],
    ['an unknown format', 'project list -f csv', /format/],
    ['an empty line', '   ', /Nothing to run/],
  ])('refuses %s', async (_what, line, refusal) => {
    const before = recorded.context.session.requestCount;
    const { outcome, text } = await run(line, recorded.context);
    expect(outcome.status).toBe('refused');
    expect(text).toMatch(refusal);
    expect(recorded.context.session.requestCount).toBe(before);
    expect(before).toBe(0);
  });

  it('refuses a 100 kB line by its length alone', async () => {
    const line = `project list ${'a'.repeat(100_000)}`;
    const { outcome, text } = await run(line, recorded.context);
    expect(outcome.status).toBe('refused');
    expect(text).toBe(
      `Refused: the line is ${line.length} characters long; the console takes at most ${MAX_LINE_LENGTH}. Nothing was run.`,
    );
    expect(recorded.context.session.requestCount).toBe(0);
  });

  it('takes a line of exactly the limit', () => {
    const line = `project list${' '.repeat(MAX_LINE_LENGTH - 12)}`;
    expect(line.length).toBe(MAX_LINE_LENGTH);
    expect(parseConsoleLine(line).ok).toBe(true);
    expect(parseConsoleLine(`${line} `).ok).toBe(false);
  });
});

describe('the console grammar', () => {
  const parsed = (line: string) => {
    const result = parseConsoleLine(line);
    if (!result.ok) throw new Error(result.refusal);
    return {
      command: result.command.grammar.words.join(' '),
      args: result.command.args,
      text: result.command.text,
    };
  };

  it('reads commands of one to three words, with a leading "openstack" as typed by habit', () => {
    expect(parsed('help')).toEqual({ command: 'help', args: {}, text: 'help' });
    expect(parsed('  openstack   identity provider show   egi.eu ')).toEqual({
      command: 'identity provider show',
      args: { IDP: 'egi.eu' },
      text: 'identity provider show egi.eu',
    });
  });

  it('reads options in both spellings, repeated columns and the format', () => {
    expect(parsed('user list --domain=Default -f json').args).toEqual({
      domain: 'Default',
      format: 'json',
    });
    expect(
      parsed(
        'server show f1c37e20-d9fe-45d0-8c35-b2e868ccbecb -c properties -c id',
      ).args,
    ).toEqual({
      SERVER: 'f1c37e20-d9fe-45d0-8c35-b2e868ccbecb',
      column: ['properties', 'id'],
    });
    expect(
      parsed('federation protocol list --identity-provider egi.eu').args,
    ).toEqual({ 'identity-provider': 'egi.eu' });
  });

  it('takes federated user names and check ids as they are written', () => {
    expect(
      parsed('user show 10579b6cb6a49b859629f19b0ec9671f@egi.eu').args,
    ).toEqual({
      USER: '10579b6cb6a49b859629f19b0ec9671f@egi.eu',
    });
    expect(parsed('check federation.mapping').args).toEqual({
      CHECK: 'federation.mapping',
    });
  });

  it('refuses an option given twice unless it repeats', () => {
    const result = parseConsoleLine('user list --domain a --domain b');
    expect(result).toEqual({
      ok: false,
      refusal: expect.stringContaining('--domain given twice'),
    });
  });
});
