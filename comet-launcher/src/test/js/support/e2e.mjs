// End-to-end harness: the real comet-server.jar as a child process (its durable H2 store in a temp
// folder), a TCP proxy in front of its browser port that can cut every connection, CometQL through
// the `mysql` CLI, and Comet's own comet.js (the shipped file) running in a vm context with Node's
// real WebSocket and fetch, i.e. the same client code a page runs.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../../../..');
export const COMET_JS = path.join(repo, 'comet-transport-netty/src/main/resources/io/comet/transport/client/comet.js');
export const SERVER_JAR = process.env.COMET_SERVER_JAR || path.join(repo, 'comet-launcher/target/comet-server.jar');
const PASSWORD = 'recovery-secret';

// Child processes (servers, mysql CLIs) never outlive the test process, even when a test fails
// half-way or the runner kills it.
const children = new Set();
const killChildren = () => { for (const c of children) { try { c.kill('SIGKILL'); } catch (e) { /* gone */ } } };
process.on('exit', killChildren);
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { killChildren(); process.exit(1); });
function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Resolves when cond() is truthy, polling every 10 ms; rejects with `what` after ms. */
export async function until(cond, what, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() > end) throw new Error('timeout (' + ms + ' ms) waiting for ' + (typeof what === 'function' ? what() : what));
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A folder with comet.ini (H2 store under ./data); servers started in it share that store. */
export function serverDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'comet-recovery-'));
  writeFileSync(path.join(dir, 'comet.ini'), '[main]\npassword = ' + PASSWORD + '\ndata_dir = ./data\nshutdown_timeout = 5\n'
    + '[ws]\nip = 127.0.0.1\nport = 0\n[cometql]\nip = 127.0.0.1\nport = 0\n');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts `java -jar comet-server.jar --conf comet.ini` in dir; resolves once both listeners are up. */
export async function startServer(dir, name = 'server') {
  if (!existsSync(SERVER_JAR)) throw new Error('no ' + SERVER_JAR + ' (built by `package`; set COMET_SERVER_JAR)');
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const p = track(spawn(java, ['-Xmx256m', '-jar', SERVER_JAR, '--conf', path.join(dir, 'comet.ini')],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  const onData = (d) => { out += d.toString(); };
  p.stdout.on('data', onData);
  p.stderr.on('data', onData);
  let exited = null;
  p.on('exit', (code, sig) => { exited = code === null ? sig : code; });
  const web = await until(() => /Comet is up: HTTP\/WebSocket on [0-9.]+:(\d+)/.exec(out) || (exited !== null && 'dead'),
    () => name + ' to start:\n' + out, 60000);
  if (web === 'dead') throw new Error(name + ' exited (' + exited + '):\n' + out);
  const ql = await until(() => /CometQL \(MySQL protocol\) on [0-9.]+:(\d+)/.exec(out), () => 'CometQL listener:\n' + out, 10000);
  const server = {
    webPort: Number(web[1]),
    cometqlPort: Number(ql[1]),
    log: () => out,
    /** SIGTERM and wait for the exit (the store is closed cleanly). */
    async stop() {
      if (exited !== null) return;
      p.kill('SIGTERM');
      await until(() => exited !== null, name + ' to exit', 30000).catch(() => { p.kill('SIGKILL'); });
    },
    /** Runs SQL statements over CometQL with the mysql CLI; resolves with stdout, rejects on an error. */
    sql(statements) {
      return new Promise((resolve, reject) => {
        execFile('mysql', ['-h', '127.0.0.1', '-P', String(server.cometqlPort), '-uroot', '-p' + PASSWORD, '-DCometQL_v1', '--batch', '-e', statements],
          { timeout: 30000 }, (err, stdout, stderr) => (err ? reject(new Error('mysql: ' + (stderr || err.message))) : resolve(stdout)));
      });
    },
    /**
     * A publisher on one CometQL connection: `publish(text)` queues an INSERT into pipe, `close()`
     * resolves once the CLI has executed (and so acknowledged) every one of them.
     */
    publisher(pipe) {
      const cli = track(spawn('mysql', ['-h', '127.0.0.1', '-P', String(server.cometqlPort), '-uroot', '-p' + PASSWORD, '-DCometQL_v1', '--batch'],
        { stdio: ['pipe', 'ignore', 'pipe'] }));
      let err = '';
      cli.stderr.on('data', (d) => { err += d.toString(); });
      const done = new Promise((resolve, reject) => cli.on('exit', (code) => (code === 0 ? resolve() : reject(new Error('mysql publisher: ' + code + ' ' + err)))));
      return {
        publish(text) { cli.stdin.write("INSERT INTO pipes_messages (name, event, message) VALUES ('" + pipe + "', 'n', '" + text + "');\n"); },
        close() { cli.stdin.end(); return done; },
        kill() { cli.kill('SIGKILL'); done.catch(() => {}); },
      };
    },
  };
  return server;
}

/**
 * A TCP proxy on 127.0.0.1 in front of targetPort. cut(): every connection dropped and the port
 * closed (connects are refused, as when a network or server is gone) until heal() listens on the
 * same port again. stall(): bytes from the server are swallowed (a response lost on the way), so
 * a stall followed by a cut loses whatever the server sent meanwhile.
 */
export async function startProxy(targetPort) {
  const sockets = new Set();
  let target = targetPort;
  let stalled = false;
  let accepted = 0;
  let listening = false;
  const srv = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (d) => { if (!stalled) upstream.write(d); });
    upstream.on('data', (d) => { if (!stalled) client.write(d); });
  });
  const listen = (port) => new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => { srv.off('error', reject); listening = true; resolve(); });
  });
  await listen(0);
  const port = srv.address().port;
  const dropAll = () => { for (const s of sockets) s.destroy(); sockets.clear(); };
  return {
    port,
    get accepted() { return accepted; },
    stall() { stalled = true; },
    cut() {
      stalled = false;
      dropAll();
      if (!listening) return Promise.resolve();
      listening = false;
      return new Promise((r) => srv.close(() => r()));
    },
    async heal() {
      for (let i = 0; !listening; i++) {
        try { await listen(port); } catch (e) { if (i > 100) throw e; await new Promise((r) => setTimeout(r, 20)); }
      }
    },
    retarget(p) { target = p; },
    async close() { dropAll(); if (listening) { listening = false; await new Promise((r) => srv.close(() => r())); } },
  };
}

/**
 * comet.js in its own vm context (a page): `transport` 'ws' (Node's WebSocket) or 'lp' (no
 * WebSocket: the client's long-poll fallback over fetch). The app code is only start() and
 * subscription(); `got` collects {data, epoch, offset} of every message on `pipe`.
 */
export function page(node, pipe, transport = 'ws') {
  if (transport === 'ws' && typeof globalThis.WebSocket !== 'function') throw new Error('run node with --experimental-websocket (Node 20)');
  const ctx = vm.createContext({
    console: { log() {}, info() {}, warn() {}, error: (...a) => console.error('[page]', ...a) },
    setTimeout, clearTimeout, Promise, AbortController, fetch,
    WebSocket: transport === 'ws' ? globalThis.WebSocket : undefined,
    location: { href: 'http://page.example/', protocol: 'http:', host: 'page.example' },
  });
  vm.runInContext(readFileSync(COMET_JS, 'utf8'), ctx, { filename: COMET_JS });
  const api = ctx.cometApi;
  const got = [];
  const all = [];
  const recoveries = [];
  api.subscription(pipe, (e) => got.push({ data: e.data, epoch: e.server_info.epoch, offset: e.server_info.offset }));
  api.subscription((e) => all.push(e.server_info.pipe));
  api.onRecovery((r) => recoveries.push({ pipe: r.pipe, recovered: r.recovered, epoch: r.epoch, offset: r.offset }));
  api.start({ node, nostat: true, reconnect_base: 50, reconnect_max: 400 });
  return {
    api, got, all, recoveries,
    connected: () => api.isConnected(),
    mode: () => (api.getTransports()[0] || {}).mode,
    data: () => got.map((g) => g.data),
    stop: () => api.stop(),
  };
}
