// Real WebSocket round trip: Node's WebSocket client (undici, as in browsers) running comet.js in a
// vm context against a minimal RFC 6455 server on node:http. Exported for websocket.test.js, which
// runs it in a child process started with --experimental-websocket when Node 20 lacks the global.
import http from 'node:http';
import crypto from 'node:crypto';
import vm from 'node:vm';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { SOURCE, COMET_JS } from './env.js';

function encodeText(text) {
  const payload = Buffer.from(text, 'utf8');
  let header;
  if (payload.length < 126) header = Buffer.from([0x81, payload.length]);
  else { header = Buffer.alloc(4); header[0] = 0x81; header[1] = 126; header.writeUInt16BE(payload.length, 2); }
  return Buffer.concat([header, payload]);
}

function frameReader(onText) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const op = buf[0] & 0x0f;
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
      const masked = (buf[1] & 0x80) !== 0;
      const need = off + (masked ? 4 : 0) + len;
      if (buf.length < need) return;
      const mask = masked ? buf.subarray(off, off + 4) : null;
      const data = Buffer.from(buf.subarray(off + (masked ? 4 : 0), need));
      if (mask) for (let i = 0; i < data.length; i++) data[i] ^= mask[i % 4];
      buf = buf.subarray(need);
      if (op === 1) onText(data.toString('utf8'));
    }
  };
}

export async function runScenario() {
  const conns = [];
  const waiters = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  const until = async (cond, what, ms = 3000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timeout waiting for ' + what);
      await new Promise((r) => { waiters.push(r); setTimeout(r, 20); });
    }
  };
  const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
  server.on('upgrade', (req, socket) => {
    const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ' + accept + '\r\n\r\n');
    const c = { url: req.url, socket, received: [], send: (t) => socket.write(encodeText(t)) };
    conns.push(c);
    socket.on('data', frameReader((t) => { c.received.push(t); notify(); }));
    socket.on('error', () => {});
    c.send(JSON.stringify({ authorized: true, data: 'h', event: 'serverInfo', pipe: 'sys', server: 'mini' }));
    notify();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;

  const ctx = vm.createContext({
    console: { log() {}, info() {}, warn() {}, error() {} },
    setTimeout, clearTimeout, WebSocket: globalThis.WebSocket, Promise,
    location: { href: 'http://page.example/', protocol: 'http:', host: 'page.example' },
  });
  vm.runInContext(SOURCE, ctx, { filename: COMET_JS });
  const api = ctx.cometApi;
  const got = [];
  const reports = [];
  let authorized = 0;
  api.onAuthSuccess(() => { authorized++; notify(); });
  api.subscription('web_chat', (e) => { got.push(JSON.stringify(e.data)); notify(); });
  api.subscription('#web_chat', (e) => { reports.push(e.data.number_messages); notify(); });
  try {
    api.start({ node: '127.0.0.1:' + port + '/', user_id: 5, user_key: 'ab+/c=', nostat: true, reconnect_base: 20 });
    await until(() => conns.length === 1 && conns[0].received.length >= 1, 'first subscription');
    const c1 = conns[0];
    assert.match(c1.url, /^\/\/ws\/sesion=ab\+\/c=&myid=5&devid=0&v=4\.08&uuid=[A-Za-z0-9_-]{32}&api=js$/);
    assert.deepEqual(c1.received, ['subscription\nweb_chat\n-\n{}']);
    await until(() => authorized === 1, 'onAuthSuccess');
    assert.equal(api.isConnected(), true);

    api.web_pipe_send('web_chat', 'newmsg', { text: "it's" });
    await until(() => c1.received.length >= 2, 'web_pipe2');
    assert.equal(c1.received[1], 'web_pipe2\nweb_chat\nnewmsg\n*\n{"text":"it\'s"}');
    // two messages in one frame, with a \u0027 apostrophe, then a report
    c1.send('{"data":"{\\"text\\":\\"a\\u0027b\\"}","event":"newmsg","pipe":"web_chat","user_id":7}\n' +
      '{"data":"second","event":"newmsg","pipe":"web_chat","user_id":7}');
    c1.send(JSON.stringify({ data: { message: '{}', number_messages: 1 }, event: 'answer', pipe: '_answer_to_web_chat' }));
    await until(() => got.length === 2 && reports.length === 1, 'messages');
    assert.deepEqual(got, ['{"text":"a\'b"}', '"second"']);
    assert.deepEqual(reports, [1]);

    // abrupt close by the server (as for maxUptime / kicks): the client comes back and resubscribes
    c1.socket.destroy();
    await until(() => conns.length === 2 && conns[1].received.length >= 1, 'reconnect');
    assert.deepEqual(conns[1].received, ['subscription\nweb_chat\n-\n{}']);
    api.stop();
    return 'ok';
  } finally {
    api.stop();
    for (const c of conns) c.socket.destroy();
    server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  runScenario().then((r) => { console.log('ws-scenario: ' + r); process.exit(0); }, (e) => { console.error(e); process.exit(1); });
}
