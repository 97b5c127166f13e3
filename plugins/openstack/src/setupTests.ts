import '@testing-library/jest-dom';

// Rendering Backstage pages in jsdom takes seconds on a loaded 2-core machine; jest's 5 s default
// fails tests that are only slow. (package.json's jest.testTimeout is global-only in Jest: the
// repository-wide run ignores a package's value, so it is set here, for every test file.)
jest.setTimeout(30_000);
