import { matchMediaStub } from '../../testMatchMedia';

// Test-only. jsdom has no matchMedia (xterm asks it for the pixel ratio) nor a 2d canvas (xterm
// probes one when it loads and measures characters with one): minimal stand-ins, enough for
// xterm's DOM renderer. Imported before xterm by the tests.
window.matchMedia = matchMediaStub(() => false);
HTMLCanvasElement.prototype.getContext = (() => null) as any;
