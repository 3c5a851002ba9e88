// The long-poll loop against a real HTTP server (node:http) with Node's real fetch, AbortController
// and timers: checks the request shape a browser would send and that commands are not held back by
// a pending poll.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import vm from 'node:vm';
import { SOURCE, COMET_JS } from './support/env.js';

function miniLongPollServer() {
  const sessions = new Map(); // lpid -> { pending: res|null, queue: [], subs: [] }
  const log = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const m = /^\/lp\/sesion=([^&]*)&myid=([^&]*)&devid=([^&]*)&v=4\.08&uuid=([A-Za-z0-9_-]{32})&api=js&lp=([A-Za-z0-9_-]{16,64})$/.exec(req.url);
      log.push({ method: req.method, url: req.url, body, type: req.headers['content-type'], at: Date.now() });
      if (req.method !== 'POST' || !m) { res.writeHead(404); res.end(); return; }
      const lpid = m[5];
      let s = sessions.get(lpid);
      const send = (r, lines) => { r.writeHead(200, { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' }); r.end(lines.join('\n')); };
      if (!s) {
        s = { pending: null, queue: [JSON.stringify({ authorized: false, data: '', event: 'serverInfo', pipe: 'sys' })], subs: [] };
        sessions.set(lpid, s);
      }
      if (s.pending) { send(s.pending, []); s.pending = null; }
      for (const cmd of body ? JSON.parse(body) : []) {
        const parts = cmd.split('\n');
        if (parts[0] === 'subscription') s.subs = parts.slice(1, (parts.indexOf('-') + 1 || parts.length + 1) - 1); // a name < 2 chars ends the list (§2.3)
        if (parts[0] === 'web_pipe2') {
          s.queue.push(JSON.stringify({ data: { message: parts.slice(4).join('\n'), number_messages: 0 }, event: 'answer', pipe: '_answer_to_' + parts[1] }));
          s.queue.push(JSON.stringify({ data: parts.slice(4).join('\n'), event: parts[2], pipe: parts[1], user_id: 0 }));
        }
      }
      if (s.queue.length) { send(res, s.queue.splice(0)); return; }
      s.pending = res;
      setTimeout(() => { if (s.pending === res) { s.pending = null; send(res, []); } }, 2000).unref();
    });
  });
  return { server, sessions, log };
}

test('long-poll over real HTTP: simple POSTs, serverInfo, subscriptions, a command answered without waiting for the held poll', async (t) => {
  const { server, sessions, log } = miniLongPollServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => { server.closeAllConnections(); server.close(); });
  const port = server.address().port;

  const sandbox = {
    console: { log() {}, info() {}, warn() {}, error() {} },
    setTimeout, clearTimeout, fetch, AbortController, Promise,
    location: { href: 'http://page.example/', protocol: 'http:', host: 'page.example' },
  };
  const ctx = vm.createContext(sandbox);
  vm.runInContext(SOURCE, ctx, { filename: COMET_JS });
  const api = ctx.cometApi;

  const got = [];
  const reports = [];
  let authResolve;
  const authed = new Promise((r) => { authResolve = r; });
  api.onAuthFalill(() => authResolve());
  api.subscription('web_chat.newmsg', (e) => got.push(JSON.parse(JSON.stringify(e.data))));
  api.subscription('#web_chat', (e) => reports.push(e.data.number_messages));
  api.start({ node: '127.0.0.1:' + port, nostat: true }); // no WebSocket in this context → long-poll
  await authed;
  assert.equal(api.isAuthorized(), false);

  // wait until the client holds a poll on the server
  const deadline = Date.now() + 3000;
  while (![...sessions.values()].some((s) => s.pending) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const session = [...sessions.values()][0];
  assert.deepEqual(session.subs, ['web_chat']);

  const sentAt = Date.now();
  api.web_pipe_send('web_chat', 'newmsg', { text: 'hello' });
  while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(Date.now() - sentAt < 1000, 'delivered without waiting for the held poll');
  assert.deepEqual(got, [{ text: 'hello' }]);
  assert.deepEqual(reports, [0]);

  assert.equal(sessions.size, 1, 'one lp id for the whole connection');
  for (const r of log) {
    assert.equal(r.method, 'POST');
    assert.ok(!r.type || /^text\/plain/.test(r.type), 'CORS-simple content type: ' + r.type);
  }
  assert.deepEqual(JSON.parse(log[0].body), ['subscription\nweb_chat\n-\n{}']);
  assert.ok(log.some((r) => r.body && JSON.parse(r.body).includes('web_pipe2\nweb_chat\nnewmsg\n*\n{"text":"hello"}')));
  api.stop();
});
