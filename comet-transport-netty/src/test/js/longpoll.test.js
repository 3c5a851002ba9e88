// Long-poll fallback: POST {http}://{node}/lp/sesion=…&api=js&lp={id}, body = JSON array of commands,
// response = \n-separated JSON messages. Driven by a fake fetch / XMLHttpRequest "server loop".
import test from 'node:test';
import assert from 'node:assert/strict';
import { createEnv, flush, frame, SERVER_INFO_OK } from './support/env.js';

const LP_URL = /^http:\/\/h:8087\/lp\/sesion=k&myid=5&devid=0&v=4\.08&uuid=[A-Za-z0-9_-]{32}&api=js&lp=([A-Za-z0-9_-]{16,64})$/;

function failWsThreeTimes(env) {
  for (let i = 0; i < 3; i++) {
    env.lastSocket().fail();
    env.clock.tick(60000);
  }
}

async function lpStarted(opts = {}) {
  const env = createEnv({ random: () => 0.5, ...opts });
  const api = env.api;
  const got = [];
  api.subscription('web_chat', (e) => got.push(JSON.parse(JSON.stringify(e.data))));
  api.start({ node: 'h:8087', user_id: 5, user_key: 'k', nostat: true });
  return { env, api, got };
}

test('after 3 WebSocket failures without ever opening, the client switches to long-poll', async () => {
  const { env, api, got } = await lpStarted();
  assert.equal(env.sockets.length, 1);
  failWsThreeTimes(env);
  assert.equal(env.sockets.length, 3, 'no 4th WebSocket');
  const reqs = env.pendingRequests();
  assert.equal(reqs.length, 1);
  assert.equal(reqs[0].method, 'POST');
  const m = LP_URL.exec(reqs[0].url);
  assert.ok(m, reqs[0].url);
  assert.deepEqual(JSON.parse(reqs[0].body), ['subscription\nweb_chat\n-\n{}']);
  assert.deepEqual(JSON.parse(JSON.stringify(api.getTransports())), [{ node: 'h:8087', mode: 'lp', open: false }]);

  // the server answers with serverInfo and a message on two lines
  reqs[0].respond(200, frame(SERVER_INFO_OK, { data: '{"text":"hi"}', event: 'newmsg', pipe: 'web_chat', user_id: 7 }));
  await flush();
  assert.equal(api.isAuthorized(), true);
  assert.deepEqual(got, [{ text: 'hi' }]);
  assert.equal(api.isConnected(), true);
  // the next poll goes out at once, same lp id, empty body
  const next = env.pendingRequests();
  assert.equal(next.length, 1);
  assert.equal(LP_URL.exec(next[0].url)[1], m[1]);
  assert.equal(next[0].body, '');
});

test('a WebSocket that opened once never falls back to long-poll', () => {
  const env = createEnv({ random: () => 0.5 });
  env.api.start({ node: 'h', nostat: true });
  env.sockets[0].open();
  for (let i = 0; i < 6; i++) { env.lastSocket().fail(); env.clock.tick(60000); }
  assert.equal(env.requests.length, 0);
  assert.equal(env.sockets.length, 7);
});

test('without window.WebSocket the client long-polls at once; https page → https', async () => {
  const env = createEnv({ websocket: false, location: { href: 'https://s/', protocol: 'https:', host: 's' } });
  env.api.start({ node: 'h/comet-server', nostat: true });
  assert.equal(env.requests.length, 1);
  assert.match(env.requests[0].url, /^https:\/\/h\/comet-server\/lp\/sesion=undefined&myid=undefined&devid=0&v=4\.08&uuid=[A-Za-z0-9_-]{32}&api=js&lp=[A-Za-z0-9_-]{32}$/);
  assert.equal(env.requests[0].body, '');
});

test('UseWebSocket(false) forces long-poll', () => {
  const env = createEnv();
  env.api.UseWebSocket(false);
  env.api.start({ node: 'h', nostat: true });
  assert.equal(env.sockets.length, 0);
  assert.equal(env.requests.length, 1);
  assert.equal(env.api.UseWebSocket(), false);
});

test('a queued command is sent at once in a new POST; the superseded poll is not repeated', async () => {
  const { env, api } = await lpStarted({ websocket: false });
  const first = env.pendingRequests()[0];
  first.respond(200, frame(SERVER_INFO_OK));
  await flush();
  const poll = env.pendingRequests()[0];
  api.web_pipe_send('web_chat', 'newmsg', { text: 'a' });
  api.count_users_in_pipe('web_chat', () => {});
  env.clock.runDue(); // batched in the same tick
  const pending = env.pendingRequests();
  assert.equal(pending.length, 2);
  const cmdReq = pending[1];
  const cmds = JSON.parse(cmdReq.body);
  assert.equal(cmds.length, 2);
  assert.equal(cmds[0], 'web_pipe2\nweb_chat\nnewmsg\n*\n{"text":"a"}');
  assert.match(cmds[1], /^pipe_count\nweb_chat\n[A-Za-z0-9]{10}\n$/);
  assert.equal(cmdReq.url, poll.url);
  // the server answers the older poll empty: no extra poll is started for it
  poll.respond(200, '');
  await flush();
  assert.equal(env.pendingRequests().length, 1);
  // the newer one carries the report and keeps polling
  cmdReq.respond(200, frame({ data: { message: '{"text":"a"}', number_messages: 1 }, event: 'answer', pipe: '_answer_to_web_chat' }));
  await flush();
  assert.equal(env.pendingRequests().length, 1);
  assert.equal(env.pendingRequests()[0].body, '');
});

test('a new subscription is sent in the next long-poll request as the full list', async () => {
  const { env, api } = await lpStarted({ websocket: false });
  env.pendingRequests()[0].respond(200, frame(SERVER_INFO_OK));
  await flush();
  api.subscription('track_online', () => {});
  env.clock.tick(50);
  const reqs = env.pendingRequests();
  assert.equal(reqs.length, 2);
  assert.deepEqual(JSON.parse(reqs[1].body), ['subscription\nweb_chat\ntrack_online\n-\n{}']);
});

test('after an error the poll is retried with back-off and carries the full subscription list', async () => {
  const { env, api } = await lpStarted({ websocket: false });
  env.pendingRequests()[0].respond(200, frame(SERVER_INFO_OK));
  await flush();
  env.pendingRequests()[0].fail();
  await flush();
  assert.equal(env.pendingRequests().length, 0);
  assert.equal(api.isConnected(), false);
  api.web_pipe_send('web_chat', 'e', 1); // queued during the back-off, not sent yet
  env.clock.runDue();
  assert.equal(env.pendingRequests().length, 0);
  env.clock.tick(2000);
  const retry = env.pendingRequests();
  assert.equal(retry.length, 1);
  assert.deepEqual(JSON.parse(retry[0].body), ['subscription\nweb_chat\n-\n{}', 'web_pipe2\nweb_chat\ne\n*\n1']);
  // HTTP errors count as failures too
  retry[0].respond(502, 'bad gateway');
  await flush();
  assert.equal(env.pendingRequests().length, 0);
  env.clock.tick(5000);
  assert.deepEqual(JSON.parse(env.pendingRequests()[0].body), ['subscription\nweb_chat\n-\n{}']);
});

test('a serverInfo on a later poll (server lost the session) makes the client resend its subscriptions', async () => {
  const { env } = await lpStarted({ websocket: false });
  env.pendingRequests()[0].respond(200, frame(SERVER_INFO_OK));
  await flush();
  const poll = env.pendingRequests()[0];
  assert.equal(poll.body, '');
  poll.respond(200, frame(SERVER_INFO_OK)); // fresh session created by this poll
  await flush();
  assert.deepEqual(JSON.parse(env.pendingRequests()[0].body), ['subscription\nweb_chat\n-\n{}']);
});

test('the long-poll works over XMLHttpRequest when fetch is missing', async () => {
  const { env, got } = await lpStarted({ websocket: false, fetch: false, xhr: true });
  const r = env.pendingRequests()[0];
  assert.ok(r.xhr);
  assert.deepEqual(JSON.parse(r.body), ['subscription\nweb_chat\n-\n{}']);
  r.respond(200, frame(SERVER_INFO_OK) + '\n' + frame({ data: 'x', event: 'e', pipe: 'web_chat' }));
  assert.deepEqual(got, ['x']);
  assert.equal(env.pendingRequests().length, 1);
});

test('restart after the fallback stays on long-poll with a new lp id; stop() ends polling', async () => {
  let n = 0;
  const { env, api } = await lpStarted({ random: () => ((n++ * 0.618034) % 1) });
  failWsThreeTimes(env);
  const firstUrl = env.pendingRequests()[0].url;
  api.restart({ user_id: 6 });
  const pending = env.pendingRequests();
  assert.equal(env.sockets.length, 3);
  const latest = pending[pending.length - 1];
  assert.match(latest.url, /myid=6&/);
  assert.notEqual(latest.url.split('&lp=')[1], firstUrl.split('&lp=')[1]);
  api.stop();
  await flush();
  latest.respond && !latest.done && latest.respond(200, frame(SERVER_INFO_OK));
  await flush();
  env.clock.tick(120000);
  assert.equal(env.pendingRequests().length, 0);
});

test('a poll without an answer is aborted by the client after 45 s and retried', async () => {
  const { env } = await lpStarted({ websocket: false });
  const r = env.pendingRequests()[0];
  env.clock.tick(45000);
  await flush();
  assert.equal(r.done, true);
  env.clock.tick(2000);
  assert.equal(env.pendingRequests().length, 1);
});
