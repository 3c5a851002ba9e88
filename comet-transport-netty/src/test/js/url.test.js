// URL building (client-protocol §1.2, §1.3) and identity helpers (§5.3).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createEnv } from './support/env.js';

const Q = (key, id, dev, uuid) => `sesion=${key}&myid=${id}&devid=${dev}&v=4.08&uuid=${uuid}&api=js`;

test('node host:port → ws://host:port/ws/sesion=…&myid=…&devid=…&v=4.08&uuid=…&api=js', () => {
  const env = createEnv();
  env.api.start({ dev_id: 0, user_id: 5, user_key: 'a1b2c3', node: 'example.com:8087', uuid: 'U'.repeat(32) });
  assert.equal(env.sockets.length, 1);
  assert.equal(env.sockets[0].url, 'ws://example.com:8087/ws/' + Q('a1b2c3', 5, 0, 'U'.repeat(32)));
});

test('prefix node on an https page → wss://host/prefix/ws/', () => {
  const env = createEnv({ location: { href: 'https://site.example/', protocol: 'https:', host: 'site.example' } });
  env.api.start({ node: 'example.com/comet-server', uuid: 'u'.repeat(32) });
  assert.equal(env.sockets[0].url, 'wss://example.com/comet-server/ws/' + Q('undefined', 'undefined', 0, 'u'.repeat(32)));
});

test('node ending in / yields //ws/', () => {
  const env = createEnv();
  env.api.start({ node: 'example.com/', uuid: 'x'.repeat(32) });
  assert.ok(env.sockets[0].url.startsWith('ws://example.com//ws/sesion='), env.sockets[0].url);
});

test('wss:true forces wss on an http page; wss:false forces ws on an https page', () => {
  const env = createEnv();
  env.api.start({ node: 'h:1', wss: true });
  assert.ok(env.sockets[0].url.startsWith('wss://h:1/ws/'));
  assert.equal(env.api.isUseWss(), true);
  const env2 = createEnv({ location: { href: 'https://s/', protocol: 'https:', host: 's' } });
  env2.api.start({ node: 'h:1', wss: false });
  assert.ok(env2.sockets[0].url.startsWith('ws://h:1/ws/'));
  assert.equal(env2.api.isUseWss(), false);
});

test('credentials are concatenated verbatim, never URL-encoded', () => {
  const env = createEnv();
  env.api.start({ node: 'h', user_id: '007', user_key: 'ab+/c=d=', dev_id: '12' });
  assert.match(env.sockets[0].url, /^ws:\/\/h\/ws\/sesion=ab\+\/c=d=&myid=007&devid=12&v=4\.08&uuid=[A-Za-z0-9_-]{32}&api=js$/);
});

test('node array and nodes alias open one socket per node', () => {
  const env = createEnv();
  env.api.start({ node: ['n1.example.com', 'n2.example.com:81'] });
  assert.deepEqual(env.sockets.map((s) => s.url.split('/ws/')[0]), ['ws://n1.example.com', 'ws://n2.example.com:81']);
  const env2 = createEnv();
  env2.api.start({ nodes: ['a:1', 'b:2', 'c:3'] });
  assert.equal(env2.sockets.length, 3);
});

test('roundrobin connects only to node user_id % n', () => {
  const env = createEnv();
  env.api.start({ nodes: ['a', 'b', 'c'], user_id: 4, roundrobin: true });
  assert.equal(env.sockets.length, 1);
  assert.ok(env.sockets[0].url.startsWith('ws://b/ws/'));
});

test('no node: the page host is used with dev_id 0 (self-hosted default)', () => {
  const env = createEnv({ location: { href: 'http://comet.local:8087/x.html', protocol: 'http:', host: 'comet.local:8087' } });
  env.api.start({});
  assert.ok(env.sockets[0].url.startsWith('ws://comet.local:8087/ws/sesion=undefined&myid=undefined&devid=0&'), env.sockets[0].url);
  assert.equal(env.api.getDevId(), '0');
});

test('getUUID: 32 chars [A-Za-z0-9_-], persisted in localStorage comet_server_uuid, reused', () => {
  const env = createEnv();
  const id = env.api.getUUID();
  assert.match(id, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(env.localStorage.getItem('comet_server_uuid'), id);
  assert.equal(env.newApi().getUUID(), id);
  const env2 = createEnv({ storage: { comet_server_uuid: 'abcdefghijklmnopqrstuvwxyz012345' } });
  assert.equal(env2.api.getUUID(), 'abcdefghijklmnopqrstuvwxyz012345');
  env2.api.start({ node: 'h' });
  assert.ok(env2.sockets[0].url.includes('&uuid=abcdefghijklmnopqrstuvwxyz012345&api=js'));
});

test('opt.uuid overrides the persisted id', () => {
  const env = createEnv({ storage: { comet_server_uuid: 'abcdefghijklmnopqrstuvwxyz012345' } });
  env.api.start({ node: 'h', uuid: 'mine' });
  assert.equal(env.api.getUUID(), 'mine');
  assert.ok(env.sockets[0].url.includes('&uuid=mine&api=js'));
});

test('getTabUUID is 16 chars and stable; getCustomString is a 10-char marker without dots', () => {
  const env = createEnv();
  const t = env.api.getTabUUID();
  assert.match(t, /^[A-Za-z0-9_-]{16}$/);
  assert.equal(env.api.getTabUUID(), t);
  for (let i = 0; i < 50; i++) assert.match(env.api.getCustomString(), /^[A-Za-z0-9]{10}$/);
});

test('getters echo the options; log level persisted in comet_LogLevel', () => {
  const env = createEnv();
  assert.equal(env.api.isMaster(), undefined);
  env.api.start({ node: 'h', user_id: 9, user_key: 'k', dev_id: 3 });
  assert.equal(env.api.getUserId(), 9);
  assert.equal(env.api.getUserKey(), 'k');
  assert.equal(env.api.getDevId(), '3');
  assert.equal(env.api.isMaster(), true);
  assert.equal(env.api.getLogLevel(), 0);
  env.api.setLogLevel(3);
  assert.equal(env.localStorage.getItem('comet_LogLevel'), '3');
  assert.equal(env.api.getLogLevel(), 3);
});

test('CometServer() returns the singleton cometApi; new cometServerApi() is independent', () => {
  const env = createEnv();
  assert.equal(env.ctx.CometServer(), env.ctx.cometApi);
  assert.equal(env.ctx._cometServerApi, env.ctx.cometServerApi);
  const other = env.newApi();
  assert.notEqual(other, env.api);
  env.api.start({ node: 'a' });
  other.start({ node: 'b' });
  assert.equal(env.sockets.length, 2);
  env.sockets[0].open();
  assert.equal(env.api.isConnected(), true);
  assert.equal(other.isConnected(), false);
});

test('restart(opt) reconnects at once with the new credentials', () => {
  const env = createEnv();
  env.api.start({ node: 'h', user_id: 1, user_key: 'k1' });
  env.sockets[0].open();
  env.api.restart({ user_id: 2, user_key: 'k2' });
  assert.equal(env.sockets[0].closedByClient, true);
  assert.equal(env.sockets.length, 2);
  assert.ok(env.sockets[1].url.startsWith('ws://h/ws/sesion=k2&myid=2&'));
});

test('start callback runs when the connect attempt starts', () => {
  const env = createEnv();
  let called = 0;
  env.api.start({ node: 'h' }, () => { called++; assert.equal(env.sockets.length, 1); });
  assert.equal(called, 1);
});

test('loading comet.js twice in one page keeps the first singleton', () => {
  const env = createEnv();
  const first = env.ctx.cometApi;
  first.subscription('web_a', () => {});
  env.reload();
  assert.equal(env.ctx.cometApi, first);
  assert.equal(env.ctx.CometServer(), first);
});

test('comet_server_signal(): local emit, send_emit to other tabs through localStorage, storage events', () => {
  const env = createEnv();
  const bus = env.ctx.comet_server_signal();
  assert.equal(bus, env.ctx.tabSignal);
  const got = [];
  const slot = bus.connect('AddToChat', (m) => got.push(m.text));
  bus.emit('AddToChat', { text: 'local' });
  bus.send_emit('AddToChat', { text: 'both' });
  const stored = JSON.parse(env.localStorage.getItem('comet_server_signal_storage_emit'));
  assert.equal(stored.name, 'AddToChat');
  assert.equal(stored.param.text, 'both');
  env.dispatch('storage', { key: 'comet_server_signal_storage_emit', newValue: JSON.stringify({ name: 'AddToChat', param: { text: 'other tab' } }) });
  env.dispatch('storage', { key: 'unrelated', newValue: '{}' });
  assert.deepEqual(got, ['local', 'both', 'other tab']);
  assert.equal(bus.disconnect(slot, 'AddToChat'), true);
  bus.emit('AddToChat', { text: 'gone' });
  assert.equal(got.length, 3);
});
