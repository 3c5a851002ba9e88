// ES module entry (comet.mjs), CommonJS loading, and the TypeScript declarations (tsc --noEmit).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLIENT_DIR } from './support/env.js';

const here = path.dirname(fileURLToPath(import.meta.url));

test('comet.mjs exports CometServer, cometApi, cometServerApi and the same singleton as the globals', async () => {
  const m = await import(pathToFileURL(path.join(CLIENT_DIR, 'comet.mjs')).href);
  assert.equal(typeof m.CometServer, 'function');
  assert.equal(typeof m.cometServerApi, 'function');
  assert.equal(m.CometServer(), m.cometApi);
  assert.equal(m.default, m.cometApi);
  assert.equal(globalThis.cometApi, m.cometApi);
  assert.equal(typeof m.cometApi.subscription, 'function');
  assert.notEqual(new m.cometServerApi(), m.cometApi);
  assert.equal(typeof m.comet_server_signal().send_emit, 'function');
});

test('comet.js also loads through require() (CommonJS)', () => {
  const require = createRequire(import.meta.url);
  const m = require(path.join(CLIENT_DIR, 'comet.js'));
  assert.equal(typeof m.CometServer, 'function');
  assert.equal(typeof m.cometApi.web_pipe_send, 'function');
});

test('comet.d.ts / comet.d.mts type-check a script-style and a module-style usage file', () => {
  const tsc = path.join(here, 'node_modules', 'typescript', 'bin', 'tsc');
  assert.ok(existsSync(tsc), 'typescript is installed (run npm ci in src/test/js)');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(here, 'types', 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail('tsc failed:\n' + (e.stdout || '') + (e.stderr || ''));
  }
});

test('every public method of §5.3 exists on cometApi and is declared in comet.d.ts', async () => {
  const { readFileSync } = await import('node:fs');
  const dts = readFileSync(path.join(CLIENT_DIR, 'comet.d.ts'), 'utf8');
  const m = await import(pathToFileURL(path.join(CLIENT_DIR, 'comet.mjs')).href);
  const methods = ['start', 'restart', 'stop', 'subscription', 'unsubscription', 'unsubscriptionAll', 'web_pipe_send',
    'multi_web_pipe_send', 'get_pipe_log', 'count_users_in_pipe', 'getTrackPipeUsers', 'getUserData', 'sendStatistics',
    'isAuthorized', 'onAuthSuccess', 'onAuthFalill', 'getUserId', 'getUserKey', 'getDevId', 'getRealUserKey',
    'setRealUserKey', 'getUUID', 'getTabUUID', 'getCustomString', 'setLogLevel', 'getLogLevel', 'isMaster',
    'isConnected', 'UseWebSocket', 'UseWss', 'isUseWss'];
  for (const name of methods) {
    assert.equal(typeof m.cometApi[name], 'function', name);
    assert.match(dts, new RegExp('\\n\\s+' + name + '[<(]'), name + ' declared');
  }
});
