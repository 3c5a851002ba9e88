// Client → server command texts (client-protocol §2) and when they are sent (§2.3, §2.9, §5.5).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createEnv, frame } from './support/env.js';

function connected(opts = {}, start = { node: 'h' }) {
  const env = createEnv(opts);
  env.api.start(start);
  const ws = env.sockets[0];
  ws.open();
  return { env, api: env.api, ws };
}

test('web_pipe_send(pipe, event, msg) → web_pipe2\\n{pipe}\\n{event}\\n*\\n{JSON}', () => {
  const { api, ws } = connected();
  assert.equal(api.web_pipe_send('web_chat', 'newmsg', { text: 'hello' }), true);
  assert.deepEqual(ws.sent, ['web_pipe2\nweb_chat\nnewmsg\n*\n{"text":"hello"}']);
});

test('web_pipe_send("pipe.event", msg) and web_pipe_send(pipe, msg) (event "undefined")', () => {
  const { api, ws } = connected();
  api.web_pipe_send('web_chat.newmsg', 'hi');
  api.web_pipe_send('web_chat', { text: 'x', name: 'n' });
  assert.deepEqual(ws.sent, [
    'web_pipe2\nweb_chat\nnewmsg\n*\n"hi"',
    'web_pipe2\nweb_chat\nundefined\n*\n{"text":"x","name":"n"}',
  ]);
});

test('web_pipe_send accepts web_, webauth_ and @web_; refuses other pipes and @webauth_', () => {
  const { api, ws } = connected();
  assert.equal(api.web_pipe_send('@web_chat', 'e', 1), true);
  assert.equal(api.web_pipe_send('webauth_room', 'e', 2), true);
  assert.equal(api.web_pipe_send('chat', 'e', 3), false);
  assert.equal(api.web_pipe_send('track_x', 'e', 3), false);
  assert.equal(api.web_pipe_send('@webauth_room', 'e', 3), false);
  assert.deepEqual(ws.sent, ['web_pipe2\n@web_chat\ne\n*\n1', 'web_pipe2\nwebauth_room\ne\n*\n2']);
});

test('web_pipe_send keeps newlines and apostrophes inside the JSON text', () => {
  const { api, ws } = connected();
  api.web_pipe_send('web_a', 'e', { t: "it's\nmultiline" });
  assert.equal(ws.sent[0], 'web_pipe2\nweb_a\ne\n*\n{"t":"it\'s\\nmultiline"}');
});

test('marker commands: pipe_log, pipe_count, track_pipe_users, user_data', () => {
  const { api, ws } = connected();
  api.get_pipe_log('web_chat');
  api.count_users_in_pipe('web_chat', () => {});
  api.getTrackPipeUsers('track_online', () => {});
  api.getUserData(7, () => {});
  const [log, count, track, ud] = ws.sent;
  assert.match(log, /^pipe_log\nweb_chat\n[A-Za-z0-9]{10}\n$/);
  assert.match(count, /^pipe_count\nweb_chat\n[A-Za-z0-9]{10}\n$/);
  assert.match(track, /^track_pipe_users\ntrack_online\n[A-Za-z0-9]{10}$/);
  assert.match(ud, /^user_data\n[A-Za-z0-9]{10}\n7$/);
  assert.equal(api.getTrackPipeUsers('web_x', () => {}), false);
  assert.equal(api.getUserData('abc', () => {}), false);
  assert.equal(ws.sent.length, 4);
});

test('subscriptions are debounced 50 ms and always send the complete list; #pipe, msg, "" are not sent', () => {
  const { env, api, ws } = connected();
  api.subscription('web_chat', () => {});
  api.subscription('web_chat.newmsg', () => {});
  api.subscription('#web_chat', () => {});
  api.subscription('msg.ev', () => {});
  api.subscription('', () => {});
  env.clock.tick(30);
  api.subscription('user_status_7.online', () => {});
  env.clock.tick(49);
  assert.deepEqual(ws.sent, []);
  env.clock.tick(1);
  assert.deepEqual(ws.sent, ['subscription\nweb_chat\nuser_status_7\n-\n{}']);
  api.subscription('track_online.subscription', () => {});
  env.clock.tick(50);
  assert.deepEqual(ws.sent.slice(1), ['subscription\nweb_chat\nuser_status_7\ntrack_online\n-\n{}']);
  api.subscription('web_chat', () => {}); // already in the set: nothing new to send
  env.clock.tick(100);
  assert.equal(ws.sent.length, 2);
});

test('on every (re)open the full list goes first, then commands queued while closed', () => {
  const env = createEnv({ random: () => 0.5 });
  const api = env.api;
  api.subscription('web_a', () => {});
  api.subscription('web_b.x', () => {});
  api.start({ node: 'h' });
  api.web_pipe_send('web_a', 'e', 1);          // queued before open
  env.sockets[0].open();
  assert.deepEqual(env.sockets[0].sent, ['subscription\nweb_a\nweb_b\n-\n{}', 'web_pipe2\nweb_a\ne\n*\n1']);
  env.clock.tick(100);
  env.sockets[0].fail();
  api.count_users_in_pipe('web_a', () => {});  // queued while reconnecting
  env.clock.tick(60000);
  assert.equal(env.sockets.length, 2);
  env.sockets[1].open();
  assert.equal(env.sockets[1].sent[0], 'subscription\nweb_a\nweb_b\n-\n{}');
  assert.match(env.sockets[1].sent[1], /^pipe_count\nweb_a\n/);
});

test('statistics is sent about 5 s after the first open, once per node, unless nostat', () => {
  const { env, ws } = connected({}, { node: 'h', dev_id: 0 });
  env.clock.tick(4999);
  assert.equal(ws.sent.length, 0);
  env.clock.tick(1);
  assert.deepEqual(ws.sent, ['statistics\n{"url":"http://page.example/chat","dev_id":"0","version":"4.08"}']);
  ws.fail();
  env.clock.tick(60000);
  env.lastSocket().open();
  env.clock.tick(10000);
  assert.equal(env.lastSocket().sent.filter((s) => s.startsWith('statistics')).length, 0);

  const quiet = connected({}, { node: 'h', nostat: true });
  quiet.env.clock.tick(10000);
  assert.deepEqual(quiet.ws.sent, []);
});

test('sendStatistics adds a plugin object', () => {
  const { api, ws } = connected({}, { node: 'h', dev_id: 2, nostat: true });
  api.sendStatistics('chat', '1.0', { a: 1 });
  assert.equal(ws.sent[0], 'statistics\n{"url":"http://page.example/chat","dev_id":"2","version":"4.08","plugin":{"name":"chat","version":"1.0","data":{"a":1}}}');
});

test('with several nodes every command goes to every socket', () => {
  const env = createEnv();
  env.api.start({ nodes: ['a', 'b'], nostat: true });
  env.sockets.forEach((s) => s.open());
  env.api.web_pipe_send('web_x', 'e', 'm');
  assert.deepEqual(env.sockets.map((s) => s.sent), [['web_pipe2\nweb_x\ne\n*\n"m"'], ['web_pipe2\nweb_x\ne\n*\n"m"']]);
});

test('multi_web_pipe_send sends count copies with one _cometApi_uuid; the receiver keeps one', () => {
  const { env, api, ws } = connected({}, { node: 'h', nostat: true });
  const original = { t: 1 };
  api.multi_web_pipe_send('web_x', 'e', original, 3, 100);
  assert.deepEqual(Object.keys(original), ['t'], 'the caller object is not modified');
  env.clock.tick(250);
  assert.equal(ws.sent.length, 3);
  assert.equal(new Set(ws.sent).size, 1);
  const body = JSON.parse(ws.sent[0].split('\n')[4]);
  assert.equal(body.t, 1);
  assert.match(body._cometApi_uuid, /^[A-Za-z0-9_-]{32}$/);
  const got = [];
  api.subscription('web_x', (e) => got.push(JSON.stringify(e.data)));
  for (const s of ws.sent) ws.receive(frame({ data: s.split('\n')[4], event: 'e', pipe: 'web_x' }));
  assert.deepEqual(got, ['{"t":1}']);
  assert.equal(api.multi_web_pipe_send('web_x', 'e', 'not an object'), false);
});

test('stop() closes sockets and never reconnects; commands after stop are dropped', () => {
  const { env, api, ws } = connected();
  api.stop();
  assert.equal(ws.closedByClient, true);
  env.clock.tick(120000);
  assert.equal(env.sockets.length, 1);
  assert.equal(api.web_pipe_send('web_a', 'e', 1), false);
  assert.equal(api.isConnected(), false);
});
