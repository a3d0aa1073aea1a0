// The global that <script src="mpsocket.classic.js"> defines. Bring it into a TypeScript
// project with `/// <reference types="mpsocket/classic" />` (or `import type {} from 'mpsocket/classic'`).
import type * as api from './index.js';

declare global {
  /** mpsocket's API, set by the classic-script build (mpsocket.classic.js). */
  var mpsocket: typeof api;
}
export {};
