// Interop check run by BundledClientInteropTest: the bundled comet.js with Node's WebSocket
// (node --experimental-websocket) against the real Java server. Exercises restart(), which
// depends on the server dropping TCP without a Close frame (client-protocol.md §1.7).
import vm from 'node:vm';
import { readFileSync } from 'node:fs';

const [, , cometJs, port] = process.argv;
const store = new Map();
const sandbox = {
  console: { log() {}, info() {}, warn() {}, error() {} },
  setTimeout, clearTimeout, Date, Promise, AbortController, fetch, WebSocket,
  localStorage: {
    getItem: (k) => (store.has(k) ? store.get(k) : null),
    setItem: (k, v) => store.set(k, String(v)),
    removeItem: (k) => store.delete(k),
  },
  location: { href: 'http://page.example/chat', protocol: 'http:', host: 'page.example' },
  navigator: { onLine: true, userAgent: 'node-interop' },
  addEventListener() {},
};
const ctx = vm.createContext(sandbox);
vm.runInContext(readFileSync(cometJs, 'utf8'), ctx, { filename: cometJs });
const api = ctx.cometApi;
const out = (s) => process.stdout.write(s + '\n');

let sent = false;
api.onAuthSuccess(() => {
  out('AUTH OK');
  if (!sent) {
    sent = true;
    api.web_pipe_send('web_interop', 'from_node', { text: "it's node" });
  }
});
api.subscription('web_interop.from_java', (e) => {
  out('GOT ' + JSON.stringify(e.data) + ' user_id=' + e.server_info.user_id);
  api.restart({ user_id: 6, user_key: 'h6' });   // re-login: reconnects only after an unclean close
});
api.subscription('msg.private', (e) => {
  out('PRIVATE ' + JSON.stringify(e.data));
  process.exit(0);
});
api.start({ node: '127.0.0.1:' + port, dev_id: 0, user_id: 5, user_key: 'h5' });
setTimeout(() => { out('TIMEOUT'); process.exit(3); }, 25000);
