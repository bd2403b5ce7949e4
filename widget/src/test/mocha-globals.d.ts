// @web/test-runner runs the tests with mocha's globals (describe, it, before...);
// the widget tsconfig lists no ambient types, so the test files get them from here.
/// <reference types="mocha" />
