// Issue [7] point 4 end to end: Comet's comet.js (WebSocket and long-poll) against the real
// comet-server.jar through a TCP proxy that cuts every connection. The page code is only start()
// and subscription(); messages are published over CometQL (mysql CLI) while the page is cut off.
// Each test fails when recovery does not work: without it, what was published during a cut is
// missing, and the exact-list assertions fail. Run: node --experimental-websocket --test
// (COMET_SERVER_JAR = the shaded jar; comet-launcher's `mvn verify` runs this after `package`).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverDir, startServer, startProxy, page, until } from './support/e2e.mjs';

const insert = (pipe, text) => "INSERT INTO pipes_messages (name, event, message) VALUES ('" + pipe + "', 'n', '" + text + "');";
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let dir;
let server;
let proxy;
const pages = [];

before(async () => {
  dir = serverDir();
  server = await startServer(dir.dir, 'server');
  proxy = await startProxy(server.webPort);
});

after(async () => {
  for (const p of pages) p.stop();
  if (proxy) await proxy.close();
  if (server) await server.stop();
  if (dir) dir.remove();
});

/** Waits until the server counts `users` subscribers on pipe (CometQL `pipes`). */
async function subscribed(s, pipe, users = 1) {
  const end = Date.now() + 15000;
  for (;;) {
    const out = await s.sql("SELECT * FROM pipes WHERE name = '" + pipe + "'");
    const m = new RegExp('\\n' + pipe + '\\t(\\d+)').exec(out);
    if (m && Number(m[1]) >= users) return;
    if (Date.now() > end) throw new Error(pipe + ' has no subscriber: ' + out);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A page on pipe (history on) that received one probe message, so it knows its position. */
async function pageWithPosition(s, pipe, transport, length = 100) {
  await s.sql("INSERT INTO pipes_settings (name, length) VALUES ('" + pipe + "', " + length + ')');
  const pg = page('127.0.0.1:' + proxy.port, pipe, transport);
  pages.push(pg);
  await until(() => pg.connected() && pg.mode() === transport, 'the page to connect over ' + transport);
  await subscribed(s, pipe);
  await s.sql(insert(pipe, 'p0'));
  await until(() => pg.got.length === 1, () => 'the probe: ' + JSON.stringify(pg.got));
  const p0 = pg.got[0];
  assert.equal(typeof p0.epoch, 'string', 'the server stamps positions on messages of a position-aware connection: ' + JSON.stringify(p0));
  assert.ok(p0.epoch.length > 0 && Number.isInteger(p0.offset) && p0.offset > 0, JSON.stringify(p0));
  return { pg, p0 };
}

async function cut(pg) {
  await proxy.cut();
  await until(() => !pg.connected(), 'the page to notice the cut');
}

/** Publishes one more message live and waits for it: everything before it has arrived. */
async function barrier(s, pipe, pg, text = 'live') {
  await s.sql(insert(pipe, text));
  await until(() => pg.data().includes(text), () => text + ' to arrive; got ' + JSON.stringify(pg.data()));
}

/**
 * (a) and (c): cut, 30 published over CometQL, heal → exactly those 30, in order, then live ones.
 * With lost: the proxy first swallows what the server sends while the 30 are published (the
 * server believes it delivered them: a long-poll answer lost on the way), then cuts.
 */
async function cutPublishHeal(pipe, transport, lost = false) {
  const { pg, p0 } = await pageWithPosition(server, pipe, transport);
  if (lost) proxy.stall(); else await cut(pg);
  await server.sql(range(1, 30).map((i) => insert(pipe, 'a' + i)).join('\n'));
  if (lost) await cut(pg);
  assert.deepEqual(pg.data(), ['p0'], 'nothing reaches the page while it is cut off');
  await proxy.heal();
  await until(() => pg.got.length >= 31, () => 'the 30 missed messages; got ' + JSON.stringify(pg.data()));
  await barrier(server, pipe, pg);
  assert.deepEqual(pg.data(), ['p0', ...range(1, 30).map((i) => 'a' + i), 'live'], 'exactly the 30, in order, once');
  assert.deepEqual(pg.got.map((g) => g.offset), range(p0.offset, p0.offset + 31), 'contiguous offsets');
  assert.ok(pg.got.every((g) => g.epoch === p0.epoch), 'one epoch');
  assert.deepEqual(pg.recoveries, [{ pipe, recovered: true, epoch: p0.epoch, offset: p0.offset + 30 }]);
  assert.ok(!pg.all.includes('_recovery'), '_recovery frames never reach the catch-all');
  assert.equal(pg.mode(), transport);
}

test('(a) WebSocket: cut, 30 published over CometQL, heal → exactly those 30 in order, recovered', async () => {
  await cutPublishHeal('web_rec_a', 'ws');
});

test('(c) long-poll: cut, 30 published over CometQL, heal → exactly those 30 in order, recovered', async () => {
  await cutPublishHeal('web_rec_c', 'lp');
});

test('(c) long-poll, answers lost: 30 sent into a stalled connection, cut, heal → exactly those 30 in order, recovered', async () => {
  await cutPublishHeal('web_rec_c2', 'lp', true);
});

test('(a) WebSocket, frames lost: 30 sent into a stalled connection, cut, heal → exactly those 30 in order, recovered', async () => {
  await cutPublishHeal('web_rec_a2', 'ws', true);
});

test('(b) 6 cut rounds while publishing every 2 ms → every message once, offsets contiguous', async () => {
  const pipe = 'web_rec_b';
  const { pg, p0 } = await pageWithPosition(server, pipe, 'ws', 1000);
  const pub = server.publisher(pipe);
  let n = 0;
  let publishing = true;
  const tick = () => { if (!publishing) return; pub.publish(String(n++)); setTimeout(tick, 2); };
  tick();
  try {
    for (let round = 1; round <= 6; round++) {
      const k = pg.got.length;
      await until(() => pg.connected() && pg.got.length > k + 10, 'live messages before cut ' + round);
      await cut(pg);
      const lastBefore = pg.got[pg.got.length - 1].offset;
      const atCut = n;
      await until(() => n >= atCut + 25, 'publishing during cut ' + round);
      await proxy.heal();
      await until(() => pg.recoveries.length === round, 'the resume of round ' + round);
      const r = pg.recoveries[round - 1];
      assert.equal(r.recovered, true, 'round ' + round + ': ' + JSON.stringify(r));
      assert.ok(r.offset > lastBefore, 'round ' + round + ': messages published while away were replayed (' + lastBefore + ' → ' + r.offset + ')');
    }
  } catch (e) {
    publishing = false;
    pub.kill();
    throw e;
  }
  publishing = false;
  await pub.close();                                    // every INSERT written is acknowledged
  await until(() => pg.got.length >= n + 1, () => n + ' messages; got ' + pg.got.length);
  await barrier(server, pipe, pg, 'end');
  const data = pg.data();
  assert.equal(data.length, n + 2, 'none lost, none repeated');
  assert.deepEqual(data.slice(1, -1), range(0, n - 1), 'publish order');
  assert.deepEqual(pg.got.map((g) => g.offset), range(p0.offset, p0.offset + n + 1), 'offsets contiguous, none repeated');
});

test('(e) history lost while away (DELETE FROM pipes_messages) → recovered:false reported via onRecovery', async () => {
  const pipe = 'web_rec_e';
  const { pg, p0 } = await pageWithPosition(server, pipe, 'ws');
  await cut(pg);
  await server.sql(insert(pipe, 'gone1') + insert(pipe, 'gone2'));
  await server.sql("DELETE FROM pipes_messages WHERE name = '" + pipe + "'");
  await server.sql(insert(pipe, 'after-delete'));
  await proxy.heal();
  await until(() => pg.recoveries.length === 1, 'the resume report');
  const r = pg.recoveries[0];
  assert.equal(r.pipe, pipe);
  assert.equal(r.recovered, false, 'the gap is reported: ' + JSON.stringify(r));
  assert.notEqual(r.epoch, p0.epoch, 'a new epoch');
  await barrier(server, pipe, pg);
  assert.deepEqual(pg.data(), ['p0', 'live'], 'no partial replay; live messages continue in the new epoch');
  assert.equal(pg.got[1].epoch, r.epoch);
  assert.ok(pg.got[1].offset > r.offset);
});

test('(d) server restarted on its durable H2 store between cut and heal → recovered, exactly once, in order', async () => {
  const own = serverDir();
  let s = await startServer(own.dir, 'restart-1');
  const px = await startProxy(s.webPort);
  const pipe = 'web_rec_d';
  let pg;
  try {
    await s.sql("INSERT INTO pipes_settings (name, length) VALUES ('" + pipe + "', 100)");
    pg = page('127.0.0.1:' + px.port, pipe, 'ws');
    await until(() => pg.connected(), 'the page to connect');
    await subscribed(s, pipe);
    await s.sql(insert(pipe, 'p0'));
    await until(() => pg.got.length === 1, 'the probe');
    const p0 = pg.got[0];
    assert.ok(p0.epoch && p0.offset > 0, JSON.stringify(p0));
    await px.cut();
    await until(() => !pg.connected(), 'the page to notice the cut');
    await s.sql(range(1, 15).map((i) => insert(pipe, 'a' + i)).join('\n'));
    await s.stop();
    s = await startServer(own.dir, 'restart-2');
    px.retarget(s.webPort);
    await s.sql(range(16, 30).map((i) => insert(pipe, 'a' + i)).join('\n'));
    await px.heal();
    await until(() => pg.got.length >= 31, () => 'the 30 missed messages; got ' + JSON.stringify(pg.data()));
    await s.sql(insert(pipe, 'live'));
    await until(() => pg.data().includes('live'), 'live');
    assert.deepEqual(pg.data(), ['p0', ...range(1, 30).map((i) => 'a' + i), 'live']);
    assert.deepEqual(pg.got.map((g) => g.offset), range(p0.offset, p0.offset + 31));
    assert.deepEqual(pg.recoveries, [{ pipe, recovered: true, epoch: p0.epoch, offset: p0.offset + 30 }]);
  } finally {
    if (pg) pg.stop();
    await px.close();
    await s.stop();
    own.remove();
  }
});
