// ES module entry of the Comet browser client.
//   import { CometServer, cometApi, cometServerApi } from "/comet.mjs";
// It runs comet.js (served from the same folder), which also sets the globals CometServer,
// cometApi and cometServerApi, so a page mixing <script src="/comet.js"> and this module shares
// one singleton.
import './comet.js';

const root = globalThis;

export const CometServer = root.CometServer;
export const cometApi = root.cometApi;
export const cometServerApi = root.cometServerApi;
export const comet_server_signal = root.comet_server_signal;
export default cometApi;
