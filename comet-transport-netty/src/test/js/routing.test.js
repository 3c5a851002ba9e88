// Parsing and routing of server frames (client-protocol §3.3, §3.4, §3.5, §5.4).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createEnv, frame, SERVER_INFO_OK, SERVER_INFO_ANON } from './support/env.js';

const plain = (x) => JSON.parse(JSON.stringify(x));

function connected(opts = {}) {
  const env = createEnv(opts);
  env.api.start({ node: 'h', user_id: 5, user_key: 'k' });
  const ws = env.sockets[0];
  ws.open();
  return { env, api: env.api, ws };
}

/** Subscribes every name form and records which callbacks fired. */
function recorder(api, names) {
  const hits = [];
  for (const n of names) api.subscription(n, (e) => hits.push([n, plain(e)]));
  return hits;
}

test('"pipe" and "pipe.event" receive a pipe message; server_info carries sender, pipe, event', () => {
  const { api, ws } = connected();
  const hits = recorder(api, ['web_chat', 'web_chat.newmsg', 'web_chat.other', 'web_other']);
  ws.receive(frame({ data: '{"text":"hello"}', event: 'newmsg', message_send_time: 1, pipe: 'web_chat', user_id: 5 }));
  assert.deepEqual(hits.map((h) => h[0]), ['web_chat', 'web_chat.newmsg']);
  assert.deepEqual(hits[0][1], {
    data: { text: 'hello' },
    server_info: { user_id: 5, pipe: 'web_chat', event: 'newmsg', history: false },
  });
});

test('"#pipe" receives the delivery report on _answer_to_pipe (and "_answer_to_pipe" too)', () => {
  const { api, ws } = connected();
  const hits = recorder(api, ['#web_chat', '_answer_to_web_chat', 'web_chat']);
  ws.receive(frame({ data: { message: '{"text":"hello"}', number_messages: 2 }, event: 'answer', message_send_time: 1, pipe: '_answer_to_web_chat' }));
  assert.deepEqual(hits.map((h) => h[0]), ['#web_chat', '_answer_to_web_chat']);
  assert.equal(hits[0][1].data.number_messages, 2);
});

test('"msg" and "msg.event" receive private messages; other events do not', () => {
  const { api, ws } = connected();
  const hits = recorder(api, ['msg', 'msg.ev1', 'msg.ev2']);
  ws.receive(frame({ data: 'hi', event: 'ev1', pipe: 'msg' }));
  assert.deepEqual(hits.map((h) => h[0]), ['msg', 'msg.ev1']);
  assert.equal(hits[0][1].data, 'hi');
  assert.equal(hits[0][1].server_info.user_id, 0);
});

test('message without pipe is routed as msg and msg.{event}', () => {
  const { api, ws } = connected();
  const hits = recorder(api, ['msg', 'msg.ev1']);
  ws.receive(frame({ data: 'x', event: 'ev1' }));
  assert.deepEqual(hits.map((h) => h[0]).sort(), ['msg', 'msg.ev1']);
});

test('catch-all: "" and a bare function receive everything, including sys errors', () => {
  const { api, ws } = connected();
  const all1 = []; const all2 = [];
  api.subscription('', (e) => all1.push(e.server_info.pipe));
  api.subscription((e) => all2.push(e.server_info.pipe));
  const errors = recorder(api, ['sys.error']);
  ws.receive(frame(
    { data: 1, event: 'e', pipe: 'web_a' },
    { data: { error: 'Invalid value auth_type', number_messages: -1 }, event: 'error', pipe: 'sys' },
    { data: 'p', event: 'e', pipe: 'msg' },
  ));
  assert.deepEqual(all1, ['web_a', 'sys', 'msg']);
  assert.deepEqual(all2, ['web_a', 'sys', 'msg']);
  assert.equal(errors.length, 1);
  assert.equal(errors[0][1].data.error, 'Invalid value auth_type');
});

test('"a\\nb" subscribes each name; the returned id unsubscribes both', () => {
  const { api, ws } = connected();
  const got = [];
  const id = api.subscription('web_a\nweb_b.ev', (e) => got.push(e.server_info.pipe));
  assert.equal(typeof id, 'string');
  ws.receive(frame({ data: 1, event: 'ev', pipe: 'web_a' }, { data: 1, event: 'ev', pipe: 'web_b' }, { data: 1, event: 'zz', pipe: 'web_b' }));
  assert.deepEqual(got, ['web_a', 'web_b']);
  assert.equal(api.unsubscription(id), true);
  ws.receive(frame({ data: 1, event: 'ev', pipe: 'web_a' }));
  assert.equal(got.length, 2);
});

test('subscription returns "{signal}&&{slot}"; unsubscription removes only that callback', () => {
  const { api, ws } = connected();
  const a = []; const b = [];
  const idA = api.subscription('web_x.ev', () => a.push(1));
  api.subscription('web_x.ev', () => b.push(1));
  assert.match(idA, /^web_x\.ev&&.+/);
  assert.equal(api.unsubscription(idA), true);
  assert.equal(api.unsubscription(idA), false);
  ws.receive(frame({ data: 1, event: 'ev', pipe: 'web_x' }));
  assert.deepEqual([a.length, b.length], [0, 1]);
  api.unsubscriptionAll();
  ws.receive(frame({ data: 1, event: 'ev', pipe: 'web_x' }));
  assert.deepEqual([a.length, b.length], [0, 1]);
});

test('subscription refuses 1-char names and missing callbacks', () => {
  const { api } = connected();
  assert.equal(api.subscription('a', () => {}), false);
  assert.equal(api.subscription('web_a'), false);
});

test('marker replies go only to the one-shot callback, never to ordinary subscriptions or the catch-all', () => {
  const { api, ws } = connected();
  const ordinary = recorder(api, ['_answer_pipe_count', '_answer_pipe_count.user_in_pipe', '', '_answer']);
  const counts = [];
  api.count_users_in_pipe('web_chat', (e) => counts.push(plain(e)));
  const marker = ws.sent.find((s) => s.startsWith('pipe_count\n')).split('\n')[2];
  const reply = { data: ['user_in_pipe', 3], event: 'user_in_pipe', marker, message_send_time: 1, pipe: '_answer_pipe_count' };
  ws.receive(frame(reply));
  ws.receive(frame(reply)); // a second reply (e.g. another node) does not fire again
  assert.equal(counts.length, 1);
  assert.deepEqual(counts[0].data, ['user_in_pipe', 3]);
  assert.equal(counts[0].server_info.marker, marker);
  assert.deepEqual(ordinary, []);
  // a message with an unknown marker reaches nobody
  ws.receive(frame({ ...reply, marker: 'zzzzzzzzzz' }));
  assert.deepEqual(ordinary, []);
});

test('getTrackPipeUsers and getUserData callbacks get their marker reply once', () => {
  const { api, ws } = connected();
  const track = []; const ud = [];
  api.getTrackPipeUsers('track_online', (e) => track.push(plain(e.data)));
  api.getUserData(7, (e) => ud.push(plain(e.data)));
  const mTrack = ws.sent.find((s) => s.startsWith('track_pipe_users\n')).split('\n')[2];
  const mUd = ws.sent.find((s) => s.startsWith('user_data\n')).split('\n')[1];
  ws.receive(frame(
    { _info: 'answer for track_pipe_users', data: [{ user_id: 5, uuid: 'U' }], event: 'answer', marker: mTrack, pipe: '_answer' },
    { data: { user_data: '{"name":"Bob"}', user_id: 7 }, event: 'answer', marker: mUd, pipe: '_answer' },
  ));
  assert.deepEqual(track, [[{ user_id: 5, uuid: 'U' }]]);
  assert.deepEqual(ud, [{ user_data: '{"name":"Bob"}', user_id: 7 }]);
});

test('several JSON lines in one frame are all delivered; unparseable lines and lines without data are skipped', () => {
  const { api, ws } = connected();
  const got = [];
  api.subscription('web_a', (e) => got.push(plain(e.data)));
  ws.receive('\n' + frame({ data: 'one', event: 'e', pipe: 'web_a' }) + '\n{not json\n' +
    frame({ event: 'e', pipe: 'web_a' }) + '\n[1,2]\n' + frame({ data: 'two', event: 'e', pipe: 'web_a' }) + '\n\n');
  assert.deepEqual(got, ['one', 'two']);
});

test('string data: JSON is parsed, non-JSON text is left untouched (no stripslashes)', () => {
  const { api, ws } = connected();
  const got = [];
  api.subscription('web_a', (e) => got.push(plain(e.data)));
  const texts = ['{"a":1}', '"quoted"', '123', 'plain text', 'back\\slash \\n kept', "it's", 'A::5;x;y'];
  for (const t of texts) ws.receive(frame({ data: t, event: 'e', pipe: 'web_a' }));
  assert.deepEqual(got, [{ a: 1 }, 'quoted', 123, 'plain text', 'back\\slash \\n kept', "it's", 'A::5;x;y']);
});

test('object data is passed through; a frame with \\u0027 and old-style \\\' apostrophes parses', () => {
  const { api, ws } = connected();
  const got = [];
  api.subscription('web_a', (e) => got.push(plain(e.data)));
  ws.receive('{"data":{"t":"it\\u0027s"},"event":"e","pipe":"web_a"}');
  ws.receive('{"data":"{\\"t\\":\\"it\\\'s\\"}","event":"e","pipe":"web_a"}');
  assert.deepEqual(got, [{ t: "it's" }, { t: "it's" }]);
});

test('serverInfo → onAuthSuccess, isAuthorized true, real user key stored; not routed to subscribers', () => {
  const { api, ws } = connected();
  const seen = [];
  const events = [];
  api.subscription('', () => seen.push(1));
  api.subscription('sys', () => seen.push(2));
  api.onAuthSuccess(() => events.push('ok'));
  api.onAuthFalill(() => events.push('fail'));
  assert.equal(api.isAuthorized(), undefined);
  ws.receive(frame({ ...SERVER_INFO_OK, data: 'my hash' }));
  assert.equal(api.isAuthorized(), true);
  assert.deepEqual(events, ['ok']);
  assert.equal(api.getRealUserKey(), 'my_hash');
  assert.deepEqual(seen, []);
  ws.receive(frame(SERVER_INFO_OK)); // unchanged status fires nothing
  assert.deepEqual(events, ['ok']);
  ws.receive(frame(SERVER_INFO_ANON));
  assert.equal(api.isAuthorized(), false);
  assert.deepEqual(events, ['ok', 'fail']);
});

test('serverInfo with the string "true" counts as authorized; "false" as not', () => {
  const { api, ws } = connected();
  const events = [];
  api.onAuthSuccess(() => events.push('ok'));
  api.onAuthFalill(() => events.push('fail'));
  ws.receive(frame({ authorized: 'false', data: '', event: 'serverInfo', pipe: 'sys' }));
  ws.receive(frame({ authorized: 'true', data: 'h', event: 'serverInfo', pipe: 'sys' }));
  assert.deepEqual(events, ['fail', 'ok']);
  assert.equal(api.isAuthorized(), true);
});

test('jscode is never evaluated and the message is dropped', () => {
  const { env, api, ws } = connected();
  const got = [];
  api.subscription('', (e) => got.push(e));
  api.subscription('web_a', (e) => got.push(e));
  const evil = 'globalThis.__pwned = 1; this.__pwned2 = 1;';
  ws.receive(frame({ data: 'x', jscode: evil, event: 'e', pipe: 'web_a' }));
  ws.receive(frame({ data: 'x', jscode: evil, event: 'serverInfo', pipe: 'sys', authorized: true }));
  assert.equal(env.run('typeof __pwned'), 'undefined');
  assert.equal(env.run('typeof __pwned2'), 'undefined');
  assert.equal(globalThis.__pwned, undefined);
  assert.deepEqual(got, []);
  assert.equal(api.isAuthorized(), undefined);
});

test('the client source contains no eval / new Function / string timers', async () => {
  const { SOURCE } = await import('./support/env.js');
  assert.doesNotMatch(SOURCE, /\beval\s*\(/);
  assert.doesNotMatch(SOURCE, /new\s+Function\s*\(/);
  assert.doesNotMatch(SOURCE, /setTimeout\(\s*['"`]/);
});

test('duplicates by envelope uuid are dropped for 3 minutes; data._cometApi_uuid is removed and de-duplicated', () => {
  const { env, api, ws } = connected();
  const got = [];
  api.subscription('web_a', (e) => got.push(plain(e)));
  const m = { data: 'x', event: 'e', pipe: 'web_a', uuid: 'msg-1' };
  ws.receive(frame(m));
  ws.receive(frame(m));
  ws.receive(frame({ ...m, uuid: 'msg-2' }));
  assert.equal(got.length, 2);
  assert.equal(got[0].server_info.uuid, 'msg-1');
  env.clock.tick(3 * 60 * 1000 + 1);
  ws.receive(frame(m));
  assert.equal(got.length, 3);
  const multi = { data: '{"t":1,"_cometApi_uuid":"zz"}', event: 'e', pipe: 'web_a' };
  ws.receive(frame(multi));
  ws.receive(frame(multi));
  assert.equal(got.length, 4);
  assert.deepEqual(got[3].data, { t: 1 });
});

test('a throwing callback does not stop delivery to the others', () => {
  const { api, ws } = connected();
  const got = [];
  api.subscription('web_a', () => { throw new Error('boom'); });
  api.subscription('web_a', () => got.push(1));
  ws.receive(frame({ data: 'x', event: 'e', pipe: 'web_a' }));
  assert.deepEqual(got, [1]);
});

test('get_pipe_log replays reach the callback (no marker on history) and every pipe subscriber', () => {
  const { api, ws } = connected();
  const log = []; const other = [];
  api.subscription('web_chat', () => other.push(1));
  api.get_pipe_log('web_chat', (e) => log.push(plain(e.data)));
  ws.receive(frame({ data: '{"text":"old"}', event: 'newmsg', fromQueue: true, pipe: 'web_chat', user_id: 5 }));
  assert.deepEqual(log, [{ text: 'old' }]);
  assert.equal(other.length, 1);
});

test('history:true is exposed in server_info.history', () => {
  const { api, ws } = connected();
  const got = [];
  api.subscription('trust_x', (e) => got.push(e.server_info.history));
  ws.receive(frame({ data: 1, event: 'e', pipe: 'trust_x', history: true }, { data: 1, event: 'e', pipe: 'trust_x' }));
  assert.deepEqual(got, [true, false]);
});

test('top-level numeric error > 400 stops reconnecting to that node', () => {
  const { env, ws } = connected();
  ws.receive(frame({ data: 'bye', error: 403, pipe: 'sys', event: 'error' }));
  ws.fail();
  env.clock.tick(120000);
  assert.equal(env.sockets.length, 1);
});
