// Reconnect with jittered exponential back-off, reset after a received message.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createEnv, frame, SERVER_INFO_ANON } from './support/env.js';

/** Fails the current socket (after optionally opening it) and measures how long until the next one is created. */
function measureNextDelay(env, { open = false } = {}) {
  const before = env.sockets.length;
  const ws = env.lastSocket();
  if (open) ws.open();
  ws.fail();
  const start = env.clock.now;
  for (let waited = 0; waited <= 120000; waited += 1) {
    if (env.sockets.length > before) return env.clock.now - start;
    env.clock.tick(1);
  }
  return Infinity;
}

test('back-off window doubles up to the 30 s cap (random at its maximum)', () => {
  const env = createEnv({ random: () => 0.999999 });
  env.api.start({ node: 'h', nostat: true });
  env.sockets[0].open(); // opened once, so no long-poll fallback
  const delays = [];
  for (let i = 0; i < 9; i++) delays.push(measureNextDelay(env, { open: i === 0 ? false : true }));
  // window = min(30000, 500 * 2^n); delay = 50 + random * window
  assert.deepEqual(delays, [549, 1049, 2049, 4049, 8049, 16049, 30049, 30049, 30049]);
});

test('full jitter: the delay is random within the window', () => {
  const values = [0.1, 0.9, 0.5, 0.0, 0.75];
  let i = 0;
  const env = createEnv({ random: () => values[i++ % values.length] });
  env.api.start({ node: 'h', nostat: true });
  // randomness is also used for ids; measure with a sequence and check bounds instead of exact values
  env.sockets[0].open();
  const delays = [];
  for (let k = 0; k < 6; k++) delays.push(measureNextDelay(env, { open: true }));
  delays.forEach((d, n) => {
    assert.ok(d >= 50 && d <= 50 + Math.min(30000, 500 * 2 ** n), `delay ${n}=${d}`);
  });
  assert.ok(new Set(delays.map((d, n) => d / (500 * 2 ** n))).size > 2, 'jitter varies: ' + delays);
});

test('a received message resets the back-off', () => {
  const env = createEnv({ random: () => 0.999999 });
  env.api.start({ node: 'h', nostat: true });
  env.sockets[0].open();
  assert.equal(measureNextDelay(env), 549);
  assert.equal(measureNextDelay(env), 1049);
  assert.equal(measureNextDelay(env, { open: true }), 2049); // opened but nothing received: keeps growing
  const ws = env.lastSocket();
  ws.open();
  ws.receive(frame(SERVER_INFO_ANON));
  assert.equal(measureNextDelay(env), 549);
});

test('clean closes by the server reconnect too (only stop() or a fatal error stop the client)', () => {
  const env = createEnv({ random: () => 0.5 });
  env.api.start({ node: 'h', nostat: true });
  env.sockets[0].open();
  env.sockets[0].fail(true);
  env.clock.tick(1000);
  assert.equal(env.sockets.length, 2);
});

test('restart() does not wait for the back-off and drops the old socket callbacks', () => {
  const env = createEnv({ random: () => 0.999999 });
  env.api.start({ node: 'h', nostat: true });
  env.sockets[0].open();
  const old = env.sockets[0];
  env.api.restart({ user_id: 3, user_key: 'x' });
  assert.equal(env.sockets.length, 2);
  old.fail(); // late close event of the replaced socket must not schedule anything
  env.clock.tick(60000);
  assert.equal(env.sockets.length, 2);
});

test('isConnected follows the socket state', () => {
  const env = createEnv({ random: () => 0.5 });
  env.api.start({ node: 'h', nostat: true });
  assert.equal(env.api.isConnected(), false);
  env.sockets[0].open();
  assert.equal(env.api.isConnected(), true);
  env.sockets[0].fail();
  assert.equal(env.api.isConnected(), false);
});

test('an error without a close (a refused connect in some WebSocket implementations) ends the socket and reconnects once', () => {
  const env = createEnv({ random: () => 0.5 });
  env.api.start({ node: 'h', nostat: true });
  env.sockets[0].open();
  const ws = env.lastSocket();
  ws.readyState = 3;
  ws.onerror({});                      // no onclose follows
  assert.equal(ws.closedByClient, true, 'the client closes it');
  assert.equal(env.api.isConnected(), false);
  env.clock.tick(60000);
  assert.equal(env.sockets.length, 2, 'one reconnect');
  env.sockets[1].fail();               // error then close: still one failure
  env.clock.tick(60000);
  assert.equal(env.sockets.length, 3);
});
