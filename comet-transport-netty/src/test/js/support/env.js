// Test harness: loads comet.js in a fresh vm context with fake WebSocket, localStorage, fetch,
// XMLHttpRequest, timers, Date.now, location and console. Every test builds its own env.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import vm from 'node:vm';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CLIENT_DIR = path.resolve(here, '../../../main/resources/io/comet/transport/client');
export const COMET_JS = path.join(CLIENT_DIR, 'comet.js');
export const SOURCE = readFileSync(COMET_JS, 'utf8');

/** Deterministic timer queue. */
export class FakeClock {
  constructor(start = 1_700_000_000_000) {
    this.now = start;
    this.seq = 0;
    this.timers = new Map();
  }
  setTimeout(fn, ms = 0) {
    const id = ++this.seq;
    this.timers.set(id, { id, fn, at: this.now + Math.max(0, Number(ms) || 0), ms: Number(ms) || 0 });
    return id;
  }
  clearTimeout(id) { this.timers.delete(id); }
  /** Pending timers sorted by due time. */
  pending() { return [...this.timers.values()].sort((a, b) => a.at - b.at || a.id - b.id); }
  /** Advances time by ms, running every timer that becomes due (also ones scheduled meanwhile). */
  tick(ms) {
    const end = this.now + ms;
    for (;;) {
      const next = this.pending()[0];
      if (!next || next.at > end) break;
      this.timers.delete(next.id);
      this.now = next.at;
      next.fn();
    }
    this.now = end;
  }
  /** Runs only the timers due at the current time (setTimeout 0). */
  runDue() { this.tick(0); }
}

export class FakeStorage {
  constructor(init = {}) { this.map = new Map(Object.entries(init)); }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
  clear() { this.map.clear(); }
}

export function createEnv({
  location = { href: 'http://page.example/chat', protocol: 'http:', host: 'page.example' },
  websocket = true,
  fetch = true,
  xhr = false,
  storage = {},
  random = null,
} = {}) {
  const clock = new FakeClock();
  const sockets = [];
  const requests = [];
  const logs = [];
  const localStorage = new FakeStorage(storage);

  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      this.closedByClient = false;
      this.onopen = this.onmessage = this.onclose = this.onerror = null;
      sockets.push(this);
    }
    send(text) {
      if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
      this.sent.push(text);
    }
    close() { this.closedByClient = true; this.readyState = 3; }
    // --- test controls
    open() { this.readyState = 1; this.onopen && this.onopen({}); }
    receive(text) { this.onmessage && this.onmessage({ data: text }); }
    fail(wasClean = false) {
      this.readyState = 3;
      if (this.onerror) this.onerror({});
      this.onclose && this.onclose({ wasClean, code: wasClean ? 1000 : 1006 });
    }
  }

  function fakeFetch(url, init = {}) {
    return new Promise((resolve, reject) => {
      const req = {
        url, init, body: init.body, method: init.method, done: false,
        respond(status, text) {
          req.done = true;
          resolve({ status, ok: status >= 200 && status < 300, text: () => Promise.resolve(text) });
        },
        fail(err = new Error('network')) { req.done = true; reject(err); },
      };
      if (init.signal) {
        init.signal.addEventListener('abort', () => { if (!req.done) { req.aborted = true; req.done = true; reject(new Error('AbortError')); } });
      }
      requests.push(req);
    });
  }

  class FakeXHR {
    constructor() { this.readyState = 0; this.status = 0; this.responseText = ''; }
    open(method, url) { this.method = method; this.url = url; this.readyState = 1; }
    send(body) {
      const x = this;
      requests.push({
        url: x.url, body, method: x.method, done: false, xhr: true,
        respond(status, text) { this.done = true; x.status = status; x.responseText = text; x.readyState = 4; x.onreadystatechange && x.onreadystatechange(); },
        fail() { this.done = true; x.status = 0; x.readyState = 4; x.onreadystatechange && x.onreadystatechange(); },
      });
    }
    abort() { }
  }

  const FakeDate = function (...a) { return new Date(...a); };
  FakeDate.now = () => clock.now;

  const listeners = {};
  const sandbox = {
    addEventListener: (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); },
    console: {
      log: (...a) => logs.push(['log', ...a]), info: (...a) => logs.push(['info', ...a]),
      warn: (...a) => logs.push(['warn', ...a]), error: (...a) => logs.push(['error', ...a]),
    },
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (id) => clock.clearTimeout(id),
    setInterval: () => { throw new Error('setInterval not expected'); },
    Date: FakeDate,
    localStorage,
    location,
    navigator: { onLine: true, userAgent: 'node-test' },
    AbortController,
    Promise,
  };
  if (websocket) sandbox.WebSocket = FakeWebSocket;
  if (fetch) sandbox.fetch = fakeFetch;
  if (xhr) sandbox.XMLHttpRequest = FakeXHR;
  const ctx = vm.createContext(sandbox);
  if (random) {
    ctx.__random = random;
    vm.runInContext('Math.random = function () { return __random(); };', ctx);
  }
  vm.runInContext(SOURCE, ctx, { filename: COMET_JS });

  const env = {
    ctx, clock, sockets, requests, logs, localStorage, FakeWebSocket, listeners,
    /** Dispatches a window event (e.g. a localStorage "storage" event from another tab). */
    dispatch(type, ev) { (listeners[type] || []).forEach((fn) => fn(ev)); },
    /** Runs comet.js again in the same page (e.g. script tag plus comet.mjs). */
    reload() { vm.runInContext(SOURCE, ctx, { filename: COMET_JS }); },
    get api() { return ctx.cometApi; },
    /** A new independent instance (new cometServerApi()). */
    newApi() { return new ctx.cometServerApi(); },
    lastSocket() { return sockets[sockets.length - 1]; },
    pendingRequests() { return requests.filter((r) => !r.done); },
    run(code) { return vm.runInContext(code, ctx); },
  };
  return env;
}

/** Lets promise callbacks (fake fetch) run. */
export function flush() { return new Promise((r) => setImmediate(r)); }

/** JSON line as the server would send it. */
export function frame(...objs) { return objs.map((o) => JSON.stringify(o)).join('\n'); }

export const SERVER_INFO_OK = { authorized: true, data: 'hash123', event: 'serverInfo', message_send_time: 1, pipe: 'sys', server: 'Comet' };
export const SERVER_INFO_ANON = { authorized: false, data: '', event: 'serverInfo', message_send_time: 1, pipe: 'sys', server: 'Comet' };
