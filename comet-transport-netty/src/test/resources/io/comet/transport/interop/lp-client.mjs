// Interop check run by BundledClientInteropTest: loads the bundled comet.js (the real file) in a
// vm context that has real fetch and timers but no WebSocket (Node 20), so the client uses its
// long-poll fallback against the real Java server. Prints one line per observation.
import vm from 'node:vm';
import { readFileSync } from 'node:fs';

const [, , cometJs, port] = process.argv;
const store = new Map();
const sandbox = {
  console: { log() {}, info() {}, warn() {}, error() {} },
  setTimeout, clearTimeout, Date, Promise, AbortController, fetch,
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

api.onAuthSuccess(() => {
  out('AUTH OK');
  api.web_pipe_send('web_interop', 'from_node', { text: 'hello from node' });
});
api.onAuthFalill(() => out('AUTH FAILED'));
api.subscription('web_interop.from_java', (e) => {
  out('GOT ' + JSON.stringify(e.data) + ' user_id=' + e.server_info.user_id);
  process.exit(0);
});
api.subscription('msg.private', (e) => out('PRIVATE ' + JSON.stringify(e.data)));
api.start({ node: '127.0.0.1:' + port, dev_id: 0, user_id: 5, user_key: 'h5', nostat: true });
setTimeout(() => { out('TIMEOUT'); process.exit(3); }, 20000);
