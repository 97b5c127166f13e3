import { readableBody } from './CheckEvidence';

describe('readableBody', () => {
  it('indents a JSON body', () => {
    expect(readableBody('{"projects":[{"id":"p1"}]}')).toBe(
      '{\n  "projects": [\n    {\n      "id": "p1"\n    }\n  ]\n}',
    );
  });

  it('leaves a body that is not JSON, or was cut short, as it came', () => {
    expect(readableBody('<html>Bad gateway</html>')).toBe(
      '<html>Bad gateway</html>',
    );
    expect(readableBody('{"projects":[{"id":"p1"')).toBe(
      '{"projects":[{"id":"p1"',
    );
  });
});
