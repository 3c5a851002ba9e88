// comet.js over a real WebSocket (Node's undici client, the browser implementation's sibling)
// against a minimal RFC 6455 server: URL, subscription on open, web_pipe2 text, multi-line frames,
// reconnect + resubscribe after an abrupt close. See support/ws-scenario.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const scenario = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'ws-scenario.mjs');

test('real WebSocket round trip', async () => {
  if (typeof globalThis.WebSocket === 'function') {
    const { runScenario } = await import('./support/ws-scenario.mjs');
    assert.equal(await runScenario(), 'ok');
    return;
  }
  const r = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', scenario], { encoding: 'utf8', timeout: 15000 });
  assert.equal(r.status, 0, 'scenario failed:\n' + r.stdout + r.stderr);
  assert.match(r.stdout, /ws-scenario: ok/);
});
