// Types for comet.mjs (TypeScript looks for .d.mts next to .mjs); same API as comet.d.ts.
export * from './comet.js';
export { default } from './comet.js';
