// Positions and recovery (client-protocol §9): the resume tail of `subscription`, the duplicate
// filter on offsets, `_recovery` frames (never routed to callbacks), onRecovery, server_info
// epoch/offset, over the fake WebSocket and the fake long-poll.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createEnv, flush, frame, SERVER_INFO_ANON } from './support/env.js';

const msg = (offset, data = 'm' + offset, epoch = 'E1', pipe = 'web_chat') =>
  ({ data, epoch, event: 'say', message_send_time: 1700000000, offset, pipe });
const recovery = (d) => ({ data: d, event: 'position', pipe: '_recovery' });

/** A page with one web_chat callback, a catch-all and onRecovery, on an open fake WebSocket. */
function page(opts = {}) {
  const env = createEnv({ random: () => 0.5, ...opts });
  const api = env.api;
  const got = [];
  const all = [];
  const recoveries = [];
  api.subscription('web_chat', (e) => got.push({ data: e.data, epoch: e.server_info.epoch, offset: e.server_info.offset }));
  api.subscription((e) => all.push(e.server_info.pipe));
  api.onRecovery((r) => recoveries.push(JSON.parse(JSON.stringify(r))));
  api.start({ node: 'h', nostat: true, reconnect_base: 100 });
  return { env, api, got, all, recoveries };
}

/** Drops the socket and lets the client reconnect; returns the new, open socket. */
function reconnect(env) {
  const before = env.sockets.length;
  env.lastSocket().fail();
  env.clock.tick(1000);
  assert.equal(env.sockets.length, before + 1, 'reconnected');
  const ws = env.lastSocket();
  ws.open();
  return ws;
}

test('the first subscription carries an empty tail; positions of frames are remembered and sent on reconnect', () => {
  const { env, api, got } = page();
  const ws = env.lastSocket();
  ws.open();
  assert.deepEqual(ws.sent, ['subscription\nweb_chat\n-\n{}']);
  ws.receive(frame(SERVER_INFO_ANON, recovery({ epoch: 'E1', offset: 16, pipe: 'web_chat' })));
  assert.deepEqual(JSON.parse(JSON.stringify(api.getPosition('web_chat'))), { epoch: 'E1', offset: 16 });
  ws.receive(frame(msg(17)));
  assert.deepEqual(got, [{ data: 'm17', epoch: 'E1', offset: 17 }]);
  const ws2 = reconnect(env);
  assert.deepEqual(ws2.sent, ['subscription\nweb_chat\n-\n{"web_chat":{"epoch":"E1","offset":17}}']);
});

test('replayed messages, then _recovery recovered:true: delivered once, in order; onRecovery and the _recovery signal fire', () => {
  const { env, api, got, all, recoveries } = page();
  env.lastSocket().open();
  env.lastSocket().receive(frame(msg(17)));
  const ws = reconnect(env);
  const signals = [];
  api.subscription('_recovery', (e) => signals.push(JSON.parse(JSON.stringify(e.data))));
  // replay 18..20, a duplicate 19 and 17 on the way (e.g. from a second node), then the position, then live 21
  ws.receive(frame(msg(18), msg(19), msg(19), msg(17), msg(20)));
  ws.receive(frame(recovery({ epoch: 'E1', offset: 20, pipe: 'web_chat', recovered: true }), msg(21)));
  assert.deepEqual(got.map((g) => g.offset), [17, 18, 19, 20, 21]);
  assert.deepEqual(recoveries, [{ pipe: 'web_chat', recovered: true, epoch: 'E1', offset: 20 }]);
  assert.deepEqual(signals, [{ pipe: 'web_chat', recovered: true, epoch: 'E1', offset: 20 }]);
  assert.ok(!all.includes('_recovery'), 'the catch-all never sees _recovery frames: ' + all);
  assert.equal(all.filter((p) => p === 'web_chat').length, 5);
  // the subscription to _recovery is local: the server set is unchanged
  env.clock.tick(100);
  assert.deepEqual(ws.sent.slice(1), []);
});

test('recovered:false is reported and the server position adopted: later messages of the new epoch arrive', () => {
  const { env, api, got, recoveries } = page();
  env.lastSocket().open();
  env.lastSocket().receive(frame(msg(40)));
  const ws = reconnect(env);
  assert.deepEqual(ws.sent, ['subscription\nweb_chat\n-\n{"web_chat":{"epoch":"E1","offset":40}}']);
  ws.receive(frame(recovery({ epoch: 'E2', offset: 3, pipe: 'web_chat', recovered: false })));
  assert.deepEqual(recoveries, [{ pipe: 'web_chat', recovered: false, epoch: 'E2', offset: 3 }]);
  assert.deepEqual(JSON.parse(JSON.stringify(api.getPosition('web_chat'))), { epoch: 'E2', offset: 3 });
  ws.receive(frame(msg(3, 'old', 'E2'), msg(4, 'new', 'E2')));
  assert.deepEqual(got.map((g) => g.data), ['m40', 'new']);
  // recovered:false within the same epoch (more missed than kept): the newer server offset wins
  ws.receive(frame(recovery({ epoch: 'E2', offset: 90, pipe: 'web_chat', recovered: false })));
  assert.equal(api.getPosition('web_chat').offset, 90);
});

test('a _recovery frame without "recovered" (newly joined pipe) only sets the position, no callback', () => {
  const { env, api, got, all, recoveries } = page();
  const ws = env.lastSocket();
  ws.open();
  ws.receive(frame(recovery({ epoch: 'E7', offset: 5, pipe: 'web_chat' })));
  assert.deepEqual(recoveries, []);
  assert.deepEqual(got, []);
  assert.deepEqual(all, []);
  assert.equal(api.getPosition('web_chat').offset, 5);
  ws.receive(frame(msg(5, 'dup', 'E7'), msg(6, 'x', 'E7')));
  assert.deepEqual(got.map((g) => g.data), ['x']);
  // epoch "" and offset 0: the pipe keeps no history, nothing is remembered
  ws.receive(frame(recovery({ epoch: '', offset: 0, pipe: 'web_chat' })));
  assert.equal(api.getPosition('web_chat'), undefined);
  assert.deepEqual(reconnect(env).sent, ['subscription\nweb_chat\n-\n{}']);
});

test('messages without positions and pipe_log history replies are never filtered and never move the position', () => {
  const { env, api, got } = page();
  const ws = env.lastSocket();
  ws.open();
  ws.receive(frame(msg(10)));
  ws.receive(frame({ data: 'plain', event: 'say', pipe: 'web_chat' }, { data: 'again', event: 'say', pipe: 'web_chat' }));
  ws.receive(frame({ ...msg(2, 'h2'), fromQueue: true }, { ...msg(3, 'h3'), history: true }));
  assert.deepEqual(got.map((g) => g.data), ['m10', 'plain', 'again', 'h2', 'h3']);
  assert.deepEqual(got.map((g) => g.offset), [10, undefined, undefined, 2, 3]);
  assert.equal(api.getPosition('web_chat').offset, 10);
  ws.receive(frame(msg(11)));
  assert.equal(got.length, 6);
});

test('a new subscription on an open connection sends the full list; the tail names only pipes the connection has not sent yet', () => {
  const { env, api } = page();
  const ws = env.lastSocket();
  ws.open();
  ws.receive(frame(msg(3), msg(8, 'n', 'E9', 'web_news')));   // positions for web_chat and (not yet subscribed) web_news
  api.subscription('web_news', () => {});
  env.clock.tick(60);
  assert.deepEqual(ws.sent, ['subscription\nweb_chat\n-\n{}', 'subscription\nweb_chat\nweb_news\n-\n{"web_news":{"epoch":"E9","offset":8}}']);
  assert.deepEqual(reconnect(env).sent,
    ['subscription\nweb_chat\nweb_news\n-\n{"web_chat":{"epoch":"E1","offset":3},"web_news":{"epoch":"E9","offset":8}}']);
});

test('the tail stays within 8 KiB: a pipe left out is reported as not recovered when its position arrives', () => {
  const { env, api, recoveries } = page();
  const ws = env.lastSocket();
  ws.open();
  const names = [];
  for (let i = 0; i < 30; i++) names.push('web_' + String(i).padStart(2, '0'));
  for (const n of names) api.subscription(n, () => {});
  env.clock.tick(60);
  const epoch = 'E'.repeat(300);
  ws.receive(frame(...names.map((n) => msg(1, 'x', epoch, n))));
  const ws2 = reconnect(env);
  const text = ws2.sent[0];
  const tail = text.substring(text.indexOf('\n-\n') + 3);
  assert.ok(Buffer.byteLength(tail) <= 8192, 'tail of ' + Buffer.byteLength(tail) + ' bytes');
  const sent = Object.keys(JSON.parse(tail));
  assert.ok(sent.length >= 20 && sent.length < 30, sent.length + ' positions');
  assert.deepEqual(text.split('\n').slice(1, 32), ['web_chat', ...names], 'every pipe is still subscribed');
  const left = names.filter((n) => !sent.includes(n));
  ws2.receive(frame(...left.map((n) => recovery({ epoch, offset: 1, pipe: n }))));
  assert.deepEqual(recoveries.map((r) => [r.pipe, r.recovered]), left.map((n) => [n, false]));
});

test('long-poll: every poll after a failure carries the full tail; a poll carrying it does not lose it on the next one', async () => {
  const env = createEnv({ random: () => 0.5, websocket: false });
  const api = env.api;
  const got = [];
  api.subscription('web_chat', (e) => got.push(e.server_info.offset));
  api.start({ node: 'h', nostat: true, reconnect_base: 100 });
  let r = env.pendingRequests()[0];
  assert.deepEqual(JSON.parse(r.body), ['subscription\nweb_chat\n-\n{}']);
  r.respond(200, frame(SERVER_INFO_ANON, recovery({ epoch: 'E1', offset: 4, pipe: 'web_chat' }), msg(5), msg(6)));
  await flush();
  assert.deepEqual(got, [5, 6]);
  r = env.pendingRequests()[0];
  assert.equal(r.body, '', 'the next poll carries nothing');
  r.fail();                                     // e.g. a response with 7, 8 lost in a cut connection
  await flush();
  env.clock.tick(1000);
  r = env.pendingRequests()[0];
  assert.deepEqual(JSON.parse(r.body), ['subscription\nweb_chat\n-\n{"web_chat":{"epoch":"E1","offset":6}}']);
  r.respond(200, frame(msg(7), msg(8), recovery({ epoch: 'E1', offset: 8, pipe: 'web_chat', recovered: true }), msg(8), msg(9)));
  await flush();
  assert.deepEqual(got, [5, 6, 7, 8, 9]);
});

test('server_info.epoch/offset are exposed on callbacks; the other keys are unchanged', () => {
  const env = createEnv({ random: () => 0.5 });
  const seen = [];
  env.api.subscription('web_chat.say', (e) => seen.push(JSON.parse(JSON.stringify(e.server_info))));
  env.api.start({ node: 'h', nostat: true });
  env.lastSocket().open();
  env.lastSocket().receive(frame({ ...msg(18, 'hi'), user_id: 3 }));
  assert.deepEqual(seen, [{ user_id: 3, pipe: 'web_chat', event: 'say', history: false, epoch: 'E1', offset: 18 }]);
});

test('while a resume is under way, messages past a gap wait for the replay that fills it (a long-poll answer lost on the way)', () => {
  const { env, got, recoveries } = page();
  env.lastSocket().open();
  env.lastSocket().receive(frame(msg(1)));
  const ws = reconnect(env);
  // the server sends what it had buffered (3, 4) before the replay of 2..4, then the report
  ws.receive(frame(msg(3), msg(4)));
  assert.deepEqual(got.map((g) => g.offset), [1], '3 and 4 wait for 2');
  ws.receive(frame(msg(2)));
  assert.deepEqual(got.map((g) => g.offset), [1, 2, 3, 4]);
  ws.receive(frame(msg(3), msg(4), recovery({ epoch: 'E1', offset: 4, pipe: 'web_chat', recovered: true }), msg(5)));
  assert.deepEqual(got.map((g) => g.offset), [1, 2, 3, 4, 5]);
  assert.deepEqual(recoveries, [{ pipe: 'web_chat', recovered: true, epoch: 'E1', offset: 4 }]);
  // the resume is over: a later gap is not waited for
  ws.receive(frame(msg(7)));
  assert.deepEqual(got.map((g) => g.offset), [1, 2, 3, 4, 5, 7]);
});

test('messages held past a gap follow the report; with no report at all the gap is reported after 10 s', () => {
  const { env, got, recoveries } = page();
  env.lastSocket().open();
  env.lastSocket().receive(frame(msg(1)));
  let ws = reconnect(env);
  ws.receive(frame(msg(9, 'x9', 'E2')));                       // a new epoch, before the report
  assert.deepEqual(got.map((g) => g.data), ['m1']);
  ws.receive(frame(recovery({ epoch: 'E2', offset: 8, pipe: 'web_chat', recovered: false })));
  assert.deepEqual(recoveries.map((r) => r.recovered), [false]);
  assert.deepEqual(got.map((g) => g.data), ['m1', 'x9'], 'after the report');

  ws = reconnect(env);                                          // resume from E2/9 ...
  ws.receive(frame(msg(11, 'x11', 'E2'), msg(12, 'x12', 'E2'))); // ... but 10 never comes, nor a report
  env.clock.tick(9000);
  assert.deepEqual(got.map((g) => g.data), ['m1', 'x9']);
  env.clock.tick(1500);
  assert.deepEqual(got.map((g) => g.data), ['m1', 'x9', 'x11', 'x12']);
  assert.deepEqual(recoveries.at(-1), { pipe: 'web_chat', recovered: false, epoch: 'E2', offset: 12 });
  // no gap and no report: nothing is said
  ws = reconnect(env);
  ws.receive(frame(msg(13, 'x13', 'E2')));
  env.clock.tick(20000);
  assert.equal(recoveries.length, 2);
  assert.deepEqual(got.map((g) => g.data), ['m1', 'x9', 'x11', 'x12', 'x13']);
});
