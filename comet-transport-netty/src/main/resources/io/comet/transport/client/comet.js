/*!
 * comet.js — browser client for the Comet push server (API-compatible with CometServerApi.js 4.08).
 * Dependency-free. Loads as a classic <script> (globals CometServer, cometApi, cometServerApi),
 * as a CommonJS module, or through comet.mjs as an ES module.
 *
 * Deliberate differences from the original client (see README.md next to this file):
 *  - code received from the server is never evaluated (`jscode` messages are dropped);
 *  - string payloads are JSON-parsed when they parse, otherwise left untouched (no stripslashes);
 *  - reconnects with jittered exponential back-off, resets after a received message;
 *  - falls back to long-poll (POST /lp/...) when WebSocket is missing or never opens.
 */
(function (root, factory) {
  'use strict';
  // Loaded twice (e.g. <script src=comet.js> plus comet.mjs): keep the first instance and singleton.
  var exported = (root && root.__cometClient && root.__cometClient.version === '4.08') ? root.__cometClient : factory(root);
  if (root) {
    try { Object.defineProperty(root, '__cometClient', { value: exported, configurable: true, writable: true, enumerable: false }); }
    catch (e) { root.__cometClient = exported; }
  }
  if (typeof module === 'object' && module && module.exports) {
    module.exports = exported;
  }
  if (root) {
    root.CometServer = exported.CometServer;
    root.cometApi = exported.cometApi;
    root.cometServerApi = exported.cometServerApi;
    root._cometServerApi = exported.cometServerApi;
    root.comet_server_signal = exported.comet_server_signal;
    root.tabSignal = exported.tabSignal;
  }
})(typeof globalThis !== 'undefined' ? globalThis
  : (typeof window !== 'undefined' ? window : (typeof self !== 'undefined' ? self : this)),
function (root) {
  'use strict';

  var VERSION = '4.08';
  var DEFAULT_NODE_SAAS = 'app.comet-server.ru';
  var NAME_RE = /^[A-Za-z0-9_-]+$/;
  var ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  var MARKER_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  var DEDUP_MS = 3 * 60 * 1000;
  var MAX_QUEUE = 1000;
  var WS_FAILS_BEFORE_LP = 3;
  var LP_CLIENT_TIMEOUT_MS = 45000;
  var STAT_DELAY_MS = 5000;
  var SUBSCRIBE_DEBOUNCE_MS = 50;
  var MAX_TAIL_BYTES = 8192;          // the resume tail of `subscription` (client-protocol §9.1)
  var RECOVERY_PIPE = '_recovery';    // server frames and local signal of positions (§9.3)
  var RESUME_WAIT_MS = 10000;         // a resume asked for and no _recovery frame: give up on the gap

  // ---------------------------------------------------------------- helpers

  function g(name) { return root ? root[name] : undefined; }

  function randomString(len, chars) {
    var out = '';
    var cryptoObj = g('crypto');
    var bytes = null;
    if (cryptoObj && typeof cryptoObj.getRandomValues === 'function' && typeof Uint8Array !== 'undefined') {
      try { bytes = cryptoObj.getRandomValues(new Uint8Array(len)); } catch (e) { bytes = null; }
    }
    for (var i = 0; i < len; i++) {
      var r = bytes ? bytes[i] : Math.floor(Math.random() * 256);
      out += chars.charAt(r % chars.length);
    }
    return out;
  }

  function storageGet(key) {
    try { var ls = g('localStorage'); return ls ? ls.getItem(key) : null; } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try { var ls = g('localStorage'); if (ls) { ls.setItem(key, value); } } catch (e) { /* private mode */ }
  }

  function now() { return Date.now(); }

  /** UTF-8 byte length of a string (the 8 KiB tail limit counts bytes). */
  function utf8Length(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 0x80) { n += 1; } else if (c < 0x800) { n += 2; }
      else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; } else { n += 3; }
    }
    return n;
  }

  /** A usable stream position: a non-empty epoch and a positive integer offset (§9.2). */
  function isPosition(epoch, offset) {
    return typeof epoch === 'string' && epoch !== '' && typeof offset === 'number' && offset > 0 && Math.floor(offset) === offset;
  }

  function pageHref() {
    var loc = g('location');
    return loc && loc.href ? String(loc.href) : '';
  }

  function pageIsSecure() {
    var loc = g('location');
    return !!(loc && loc.protocol && String(loc.protocol).indexOf('s') !== -1);
  }

  var consoleLevels = ['error', 'warn', 'info', 'log'];
  function logAt(level, args) {
    var c = g('console');
    if (!c) { return; }
    var current = getLogLevel();
    if (level > current) { return; }
    var fn = c[consoleLevels[Math.min(level, 3)]] || c.log;
    if (typeof fn !== 'function') { return; }
    try { fn.apply(c, ['[comet]'].concat(Array.prototype.slice.call(args))); } catch (e) { /* ignore */ }
  }
  function logError() { logAt(0, arguments); }
  function logWarn() { logAt(1, arguments); }
  function logInfo() { logAt(2, arguments); }
  function logDebug() { logAt(3, arguments); }

  /** 0 = errors only (default), 1 = +warnings, 2 = +info, 3 = +every frame. */
  function getLogLevel() {
    var v = parseInt(storageGet('comet_LogLevel'), 10);
    return isNaN(v) ? 0 : v;
  }
  function setLogLevel(level) {
    var v = parseInt(level, 10);
    storageSet('comet_LogLevel', String(isNaN(v) ? 0 : v));
  }

  /** Parses a JSON text; for compatibility with old servers retries with \' turned into '. */
  function parseJsonCompat(text) {
    try { return { ok: true, value: JSON.parse(text) }; } catch (e) { /* fall through */ }
    if (text.indexOf("\\'") !== -1) {
      try { return { ok: true, value: JSON.parse(text.replace(/\\'/g, "'")) }; } catch (e2) { /* fall through */ }
    }
    return { ok: false };
  }

  var TAB_UUID = randomString(16, ID_CHARS);

  // ---------------------------------------------------------------- local signal bus (comet_server_signal)

  function SignalBus() {
    this.slots = {};
    this.counter = 0;
  }
  SignalBus.prototype.connect = function (a, b, c) {
    var slot, name, cb;
    if (typeof b === 'function') { name = a; cb = b; slot = 'slot' + (++this.counter) + '_' + randomString(6, MARKER_CHARS); }
    else { slot = a; name = b; cb = c; }
    if (typeof cb !== 'function') { return false; }
    if (!this.slots[name]) { this.slots[name] = {}; }
    this.slots[name][slot] = cb;
    return slot;
  };
  SignalBus.prototype.disconnect = function (slot, name) {
    if (name === undefined) {
      var found = false;
      for (var n in this.slots) {
        if (Object.prototype.hasOwnProperty.call(this.slots, n) && this.slots[n][slot]) { delete this.slots[n][slot]; found = true; }
      }
      return found;
    }
    if (this.slots[name] && this.slots[name][slot]) { delete this.slots[name][slot]; return true; }
    return false;
  };
  SignalBus.prototype.emit = function (name, param) {
    var set = this.slots[name];
    if (!set) { return; }
    var keys = Object.keys(set);
    for (var i = 0; i < keys.length; i++) {
      var cb = set[keys[i]];
      if (typeof cb !== 'function') { continue; }
      try { cb(param, name); } catch (e) { logError('signal handler for "' + name + '" threw', e); }
    }
  };
  /** Emits in this tab and in the other tabs of the same origin (via localStorage events). */
  SignalBus.prototype.send_emit = function (name, param) {
    this.emit(name, param);
    storageSet('comet_server_signal_storage_emit', JSON.stringify({ name: name, param: param, n: randomString(8, MARKER_CHARS) }));
  };

  var tabSignal = new SignalBus();
  (function listenOtherTabs() {
    var add = g('addEventListener');
    if (typeof add !== 'function') { return; }
    try {
      add.call(root, 'storage', function (e) {
        if (!e || e.key !== 'comet_server_signal_storage_emit' || !e.newValue) { return; }
        var p = parseJsonCompat(e.newValue);
        if (p.ok && p.value && typeof p.value.name === 'string') { tabSignal.emit(p.value.name, p.value.param); }
      });
    } catch (e) { /* not a window */ }
  })();

  // ---------------------------------------------------------------- HTTP POST for long-poll

  function httpPost(url, body, timeoutMs, done) {
    var finished = false;
    var timer = null;
    function finish(err, status, text) {
      if (finished) { return; }
      finished = true;
      if (timer !== null) { clearTimeout(timer); }
      done(err, status, text);
    }
    var fetchFn = g('fetch');
    var XHR = g('XMLHttpRequest');
    var abort = function () {};
    if (typeof fetchFn === 'function') {
      var AC = g('AbortController');
      var ac = typeof AC === 'function' ? new AC() : null;
      abort = function () { if (ac) { try { ac.abort(); } catch (e) { /* ignore */ } } };
      var init = { method: 'POST', body: body, cache: 'no-store', credentials: 'omit' };
      if (ac) { init.signal = ac.signal; }
      var p;
      try { p = fetchFn.call(root, url, init); } catch (e) { setTimeout(function () { finish(e); }, 0); return abort; }
      p.then(function (res) {
        return res.text().then(function (t) { finish(null, res.status, t); });
      }).then(null, function (err) { finish(err || new Error('fetch failed')); });
    } else if (typeof XHR === 'function') {
      var xhr = new XHR();
      abort = function () { try { xhr.abort(); } catch (e) { /* ignore */ } };
      try {
        xhr.open('POST', url, true);
        xhr.onreadystatechange = function () {
          if (xhr.readyState !== 4) { return; }
          if (xhr.status === 0) { finish(new Error('network error')); } else { finish(null, xhr.status, xhr.responseText || ''); }
        };
        xhr.onerror = function () { finish(new Error('network error')); };
        xhr.send(body);
      } catch (e) { setTimeout(function () { finish(e); }, 0); return abort; }
    } else {
      setTimeout(function () { finish(new Error('no fetch or XMLHttpRequest')); }, 0);
      return abort;
    }
    timer = setTimeout(function () { abort(); finish(new Error('timeout')); }, timeoutMs);
    return function () { abort(); finish(new Error('aborted')); };
  }

  // ---------------------------------------------------------------- one connection to one node

  function Conn(api, node) {
    this.api = api;
    this.node = node;
    this.mode = null;          // 'ws' | 'lp'
    this.ws = null;
    this.isOpen = false;
    this.stopped = false;
    this.fatal = false;
    this.everOpenedWs = false;
    this.wsFailsNoOpen = 0;
    this.attempt = 0;          // back-off exponent; reset when a message arrives
    this.reconnectTimer = null;
    this.statTimer = null;
    this.queue = [];
    this.gen = 0;              // invalidates callbacks of superseded sockets / polls
    this.sentPipes = {};       // pipes the server already has on this connection (no resume position needed again)
    // long-poll state
    this.lpid = null;
    this.lpSeq = 0;
    this.lpQueue = [];
    this.lpNeedSubs = true;
    this.lpFlushTimer = null;
    this.lpAbort = null;
    this.lpInFlight = 0;
    this.lpWaiting = false;
  }

  Conn.prototype.secure = function () {
    var w = this.api.options.wss;
    if (w === true) { return true; }
    if (w === false) { return false; }
    if (this.api._schemeHint[this.node] !== undefined) { return this.api._schemeHint[this.node]; }
    return pageIsSecure();
  };

  Conn.prototype.query = function () {
    var o = this.api.options;
    // Plain concatenation, no URL-encoding (client-protocol §1.2, §1.3).
    return 'sesion=' + o.user_key + '&myid=' + o.user_id + '&devid=' + o.dev_id +
      '&v=' + VERSION + '&uuid=' + this.api.getUUID() + '&api=js';
  };

  Conn.prototype.wsUrl = function () {
    return (this.secure() ? 'wss' : 'ws') + '://' + this.node + '/ws/' + this.query();
  };

  Conn.prototype.lpUrl = function () {
    return (this.secure() ? 'https' : 'http') + '://' + this.node + '/lp/' + this.query() + '&lp=' + this.lpid;
  };

  Conn.prototype.start = function () {
    this.stopped = false;
    if (this.api._useWebSocket && typeof g('WebSocket') === 'function' && !this.api._lpNodes[this.node]) {
      this.mode = 'ws';
      this.openWs();
    } else {
      this.startLp();
    }
  };

  Conn.prototype.stop = function () {
    this.stopped = true;
    this.gen++;
    this.isOpen = false;
    if (this.reconnectTimer !== null) { clearTimeout(this.reconnectTimer); this.reconnectTimer = null; }
    if (this.statTimer !== null) { clearTimeout(this.statTimer); this.statTimer = null; }
    if (this.lpFlushTimer !== null) { clearTimeout(this.lpFlushTimer); this.lpFlushTimer = null; }
    if (this.ws) {
      var ws = this.ws;
      this.ws = null;
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try { ws.close(); } catch (e) { /* ignore */ }
    }
    if (this.lpAbort) { var a = this.lpAbort; this.lpAbort = null; a(); }
    this.lpInFlight = 0;
    this.lpWaiting = false;
  };

  /** Delay before the next reconnect attempt: full jitter over an exponentially growing window. */
  Conn.prototype.nextDelay = function () {
    var o = this.api.options;
    var base = o.reconnect_base > 0 ? o.reconnect_base : 500;
    var max = o.reconnect_max > 0 ? o.reconnect_max : 30000;
    var windowMs = Math.min(max, base * Math.pow(2, this.attempt));
    this.attempt++;
    return Math.floor(50 + Math.random() * windowMs);
  };

  Conn.prototype.scheduleReconnect = function (fn) {
    if (this.stopped || this.fatal) { return; }
    var self = this;
    var delay = this.nextDelay();
    this.api._lastDelays.push(delay);
    if (this.api._lastDelays.length > 50) { this.api._lastDelays.shift(); }
    logInfo('reconnecting to', this.node, 'in', delay, 'ms');
    if (this.reconnectTimer !== null) { clearTimeout(this.reconnectTimer); }
    this.reconnectTimer = setTimeout(function () {
      self.reconnectTimer = null;
      if (!self.stopped && !self.fatal) { fn.call(self); }
    }, delay);
  };

  Conn.prototype.messageReceived = function () {
    this.attempt = 0;
  };

  Conn.prototype.opened = function () {
    this.isOpen = true;
    var api = this.api;
    var self = this;
    if (!api._statSent[this.node] && !api.options.nostat && this.statTimer === null) {
      this.statTimer = setTimeout(function () {
        self.statTimer = null;
        if (api._statSent[self.node] || self.stopped || api.options.nostat) { return; }
        api._statSent[self.node] = true;
        self.send('statistics\n' + JSON.stringify({ url: pageHref(), dev_id: String(api.options.dev_id), version: VERSION }));
      }, STAT_DELAY_MS);
    }
  };

  // ------------------------------------------ WebSocket mode

  Conn.prototype.openWs = function () {
    var self = this;
    var WS = g('WebSocket');
    var gen = ++this.gen;
    var everOpenedThis = false;
    var ws;
    try {
      ws = new WS(this.wsUrl());
    } catch (e) {
      logWarn('WebSocket constructor failed', e);
      this.wsFailed(false);
      return;
    }
    this.ws = ws;
    ws.onopen = function () {
      if (gen !== self.gen) { return; }
      everOpenedThis = true;
      self.everOpenedWs = true;
      self.wsFailsNoOpen = 0;
      self.opened();
      self.sentPipes = {};                     // a new connection: every pipe is joined afresh
      var subs = self.api._subscriptionCommand(self);
      self.lastSubs = subs;
      if (subs) { self.rawSend(subs); }
      var q = self.queue.splice(0);
      for (var i = 0; i < q.length; i++) { self.rawSend(q[i]); }
      if (self.api._onOpen) { self.api._onOpen(self); }
    };
    ws.onmessage = function (ev) {
      if (gen !== self.gen) { return; }
      self.messageReceived();
      var data = ev ? ev.data : '';
      if (typeof data !== 'string') { data = String(data); }
      self.api._handleFrame(data, self);
    };
    var closed = false;
    var onGone = function () {
      if (closed || gen !== self.gen) { return; }
      closed = true;
      self.ws = null;
      self.isOpen = false;
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try { ws.close(); } catch (e) { /* ignore */ }
      self.wsFailed(everOpenedThis);
    };
    // Browsers follow an error with a close; some WebSocket implementations (Node 20's) report a
    // refused or reset connect with an error only and stay CONNECTING: either ends this socket.
    ws.onerror = onGone;
    ws.onclose = onGone;
  };

  Conn.prototype.wsFailed = function (openedThisTime) {
    if (this.stopped) { return; }
    if (!openedThisTime) { this.wsFailsNoOpen++; }
    if (!this.everOpenedWs && this.wsFailsNoOpen >= WS_FAILS_BEFORE_LP) {
      logWarn('WebSocket to', this.node, 'failed', this.wsFailsNoOpen, 'times without opening; switching to long-poll');
      this.mode = 'lp';
      this.api._lpNodes[this.node] = true;   // for the rest of the page life (also after restart)
      this.scheduleReconnect(this.startLp);
      return;
    }
    this.scheduleReconnect(this.openWs);
  };

  Conn.prototype.rawSend = function (cmd) {
    logDebug('send', this.node, cmd);
    try { this.ws.send(cmd); return true; } catch (e) { logWarn('send failed', e); return false; }
  };

  /** Queues or sends one command (every command goes to every node, §5.5). */
  Conn.prototype.send = function (cmd) {
    if (this.mode === 'lp') { this.lpSend(cmd); return; }
    if (this.ws && this.isOpen && this.ws.readyState === 1) { this.rawSend(cmd); return; }
    if (this.queue.length >= MAX_QUEUE) { this.queue.shift(); }
    this.queue.push(cmd);
  };

  Conn.prototype.sendSubscriptions = function () {
    if (!this.api._serverPipes.length) { return; }
    if (this.mode === 'lp') { this.lpNeedSubs = true; this.lpKick(); return; }
    if (this.ws && this.isOpen && this.ws.readyState === 1) {
      var subs = this.api._subscriptionCommand(this);
      // a debounced send that fires after the open already sent this very list (a slow page) sends nothing
      if (subs !== this.lastSubs) { this.lastSubs = subs; this.rawSend(subs); }
    }
    // otherwise the list is sent on open
  };

  // ------------------------------------------ long-poll mode

  Conn.prototype.startLp = function () {
    this.mode = 'lp';
    this.lpid = randomString(32, ID_CHARS);
    this.lpNeedSubs = true;
    this.sentPipes = {};
    // commands queued for the WebSocket are carried over
    if (this.queue.length) { this.lpQueue = this.lpQueue.concat(this.queue.splice(0)); }
    this.lpPoll();
  };

  Conn.prototype.lpSend = function (cmd) {
    if (this.lpQueue.length >= MAX_QUEUE) { this.lpQueue.shift(); }
    this.lpQueue.push(cmd);
    this.lpKick();
  };

  /** A command is waiting: replace the pending poll by a new one carrying it (next tick, batched). */
  Conn.prototype.lpKick = function () {
    if (this.stopped || this.lpWaiting || this.lpid === null || this.lpFlushTimer !== null) { return; }
    var self = this;
    this.lpFlushTimer = setTimeout(function () {
      self.lpFlushTimer = null;
      if (!self.stopped && !self.lpWaiting) { self.lpPoll(); }
    }, 0);
  };

  Conn.prototype.lpPoll = function () {
    if (this.stopped) { return; }
    var self = this;
    this.lpWaiting = false;
    if (this.lpFlushTimer !== null) { clearTimeout(this.lpFlushTimer); this.lpFlushTimer = null; }
    var cmds = this.lpQueue.splice(0);
    var carriedSubs = false;
    if (this.lpNeedSubs) {
      var subs = this.api._subscriptionCommand(this);
      this.lpNeedSubs = false;
      carriedSubs = true;
      if (subs) { cmds.unshift(subs); }
    }
    var seq = ++this.lpSeq;
    var gen = this.gen;
    var body = cmds.length ? JSON.stringify(cmds) : '';
    logDebug('poll', this.node, seq, body);
    this.lpInFlight++;
    this.lpAbort = httpPost(this.lpUrl(), body, LP_CLIENT_TIMEOUT_MS, function (err, status, text) {
      if (gen !== self.gen || self.stopped) { return; }
      self.lpInFlight = Math.max(0, self.lpInFlight - 1);
      var latest = seq === self.lpSeq;
      if (err || status !== 200) {
        if (!latest) { return; }               // an older poll: superseded anyway
        self.isOpen = false;
        self.lpNeedSubs = true;                // the server may have lost the session
        self.sentPipes = {};                   // ... or answered a poll whose response was lost: resume every pipe
        logWarn('long-poll to', self.node, 'failed', err || status);
        self.lpWaiting = true;
        self.scheduleReconnect(self.lpPoll);
        return;
      }
      if (!self.isOpen) { self.opened(); }
      self.messageReceived();
      self.lpResponseHasServerInfo = false;
      self.api._handleFrame(text || '', self);
      if (self.lpResponseHasServerInfo && !carriedSubs) {
        self.lpNeedSubs = true;                // a fresh server session: resend the full list
        self.sentPipes = {};
      }
      if (latest && !self.stopped && gen === self.gen) { self.lpPoll(); }
      else if (self.lpNeedSubs) { self.lpKick(); }
    });
  };

  // ---------------------------------------------------------------- the API object

  function cometServerApi() {
    if (!(this instanceof cometServerApi)) { return new cometServerApi(); }
    this.options = { dev_id: '0' };
    this._started = false;
    this._conns = [];
    this._signals = new SignalBus();
    this._serverPipes = [];           // ordered set of pipe names for the `subscription` command
    this._subTimer = null;
    this._markers = {};
    this._authorized = undefined;
    this._authSuccess = [];
    this._authFail = [];
    this._seen = {};                  // envelope uuid -> time
    this._seenCount = 0;
    this._useWebSocket = true;
    this._schemeHint = {};
    this._lpNodes = {};               // nodes that fell back to long-poll
    this._statSent = {};              // nodes that got their `statistics` command
    this._isMaster = undefined;
    this._lastDelays = [];
    this._positions = {};             // pipe -> {epoch, offset}: the last position received (§9)
    this._tailSkipped = {};           // pipes left out of a resume tail for its size limit
    this._recoveryCbs = [];
    this._resuming = {};              // pipe -> {timer, held}: resume asked, _recovery not yet received
    this.version = VERSION;
  }

  var P = cometServerApi.prototype;

  P._normalizeNodes = function (opt) {
    var list = opt.nodes || opt.node;
    if (list === undefined || list === null || list === '') { return []; }
    if (!Array.isArray(list)) { list = [list]; }
    var out = [];
    for (var i = 0; i < list.length; i++) {
      var n = String(list[i]).trim();
      if (!n) { continue; }
      var m = /^(wss?|https?):\/\//i.exec(n);
      if (m) {
        this._schemeHint[n.substring(m[0].length)] = /s$/i.test(m[1]);
        n = n.substring(m[0].length);
      }
      out.push(n);
    }
    return out;
  };

  P._applyOptions = function (opt) {
    opt = opt || {};
    var o = this.options;
    for (var k in opt) {
      if (Object.prototype.hasOwnProperty.call(opt, k)) { o[k] = opt[k]; }
    }
    if (opt.node !== undefined || opt.nodes !== undefined) {
      if (opt.node !== undefined && opt.nodes === undefined) { delete o.nodes; }
      if (opt.nodes !== undefined && opt.node === undefined) { delete o.node; }
    }
    var nodes = this._normalizeNodes(o);
    if (!nodes.length) {
      var loc = g('location');
      if (loc && loc.host && /^https?:$/.test(String(loc.protocol))) {
        nodes = [String(loc.host)];     // self-hosted default: the server that served the page
      } else {
        nodes = [DEFAULT_NODE_SAAS];
        if (opt.dev_id === undefined && o.dev_id === '0') { o.dev_id = '15'; }
      }
    }
    if (o.dev_id === undefined || o.dev_id === null || o.dev_id === '') { o.dev_id = '0'; }
    o.dev_id = String(o.dev_id);
    if (o.roundrobin && nodes.length > 1) {
      var uid = parseInt(o.user_id, 10);
      var idx = uid > 0 ? uid % nodes.length : Math.floor(Math.random() * nodes.length);
      nodes = [nodes[idx]];
    }
    this._nodes = nodes;
  };

  P._connectAll = function () {
    for (var i = 0; i < this._conns.length; i++) { this._conns[i].stop(); }
    this._conns = [];
    for (var j = 0; j < this._nodes.length; j++) {
      var c = new Conn(this, this._nodes[j]);
      this._conns.push(c);
      c.start();
    }
  };

  /** start(opt, cb): connects to every node of opt.node / opt.nodes (no tab election wait). */
  P.start = function (opt, cb) {
    if (this._started) {
      this.restart(opt);
      if (typeof cb === 'function') { cb(); }
      return true;
    }
    this._applyOptions(opt);
    this._started = true;
    this._isMaster = true;
    this._connectAll();
    if (typeof cb === 'function') { cb(); }
    return true;
  };

  /** restart(opt): merge options and reconnect at once (login/logout). Not started → start(opt). */
  P.restart = function (opt) {
    if (!this._started) { return this.start(opt); }
    this._applyOptions(opt);
    this._connectAll();
    return true;
  };

  P.stop = function () {
    for (var i = 0; i < this._conns.length; i++) { this._conns[i].stop(); }
    this._conns = [];
    this._started = false;
    if (this._subTimer !== null) { clearTimeout(this._subTimer); this._subTimer = null; }
    return true;
  };

  P._send = function (cmd) {
    if (!this._conns.length) {
      logWarn('not started; command dropped:', cmd.split('\n')[0]);
      return false;
    }
    for (var i = 0; i < this._conns.length; i++) {
      if (!this._conns[i].fatal) { this._conns[i].send(cmd); }
    }
    return true;
  };

  /**
   * The `subscription` command for conn: the full pipe list, then a line `-` and the resume tail
   * (client-protocol §9.1): the last known position of every listed pipe that conn has not sent
   * to the server yet. The original server stops reading the list at `-`.
   */
  P._subscriptionCommand = function (conn) {
    if (!this._serverPipes.length) { return ''; }
    var sent = conn ? conn.sentPipes : {};
    var parts = [];
    var bytes = 2;
    for (var i = 0; i < this._serverPipes.length; i++) {
      var pipe = this._serverPipes[i];
      var pos = this._positions[pipe];
      if (!pos || sent[pipe]) { continue; }
      var entry = JSON.stringify(pipe) + ':' + JSON.stringify({ epoch: pos.epoch, offset: pos.offset });
      var size = utf8Length(entry) + (parts.length ? 1 : 0);
      if (bytes + size > MAX_TAIL_BYTES) {
        logWarn('resume position of "' + pipe + '" left out: the subscription tail would exceed 8 KiB');
        this._tailSkipped[pipe] = true;
        continue;
      }
      bytes += size;
      parts.push(entry);
      this._beginResume(pipe);
    }
    if (conn) {
      for (var j = 0; j < this._serverPipes.length; j++) { sent[this._serverPipes[j]] = true; }
    }
    return 'subscription\n' + this._serverPipes.join('\n') + '\n-\n{' + parts.join(',') + '}';
  };

  P._scheduleSubscriptionSend = function () {
    var self = this;
    if (this._subTimer !== null) { clearTimeout(this._subTimer); }
    this._subTimer = setTimeout(function () {
      self._subTimer = null;
      for (var i = 0; i < self._conns.length; i++) { self._conns[i].sendSubscriptions(); }
    }, SUBSCRIBE_DEBOUNCE_MS);
  };

  P._addServerPipe = function (pipe) {
    if (this._serverPipes.indexOf(pipe) !== -1) { return; }
    this._serverPipes.push(pipe);
    if (this._serverPipes.length > 32) { logWarn('more than 32 subscribed pipes; the server keeps only 32'); }
    this._scheduleSubscriptionSend();
  };

  /**
   * subscription(name, cb) — name forms (client-protocol §5.4):
   * "pipe", "pipe.event", "#pipe" (delivery reports), "msg", "msg.event", "" or a function (catch-all),
   * "a\nb" (several). Returns an id ("signal&&slot", several joined by "\n") or false.
   */
  P.subscription = function (name, cb) {
    if (typeof name === 'function') { cb = name; name = ''; }
    if (typeof cb !== 'function') { logError('subscription: callback must be a function'); return false; }
    if (name === undefined || name === null) { name = ''; }
    name = String(name);
    if (name.indexOf('\n') !== -1) {
      var parts = name.split('\n');
      var ids = [];
      for (var i = 0; i < parts.length; i++) {
        if (!parts[i]) { continue; }
        var id = this.subscription(parts[i], cb);
        if (id) { ids.push(id); }
      }
      return ids.length ? ids.join('\n') : false;
    }
    var signal;
    var serverPipe = null;
    if (name === '') {
      signal = 'comet_server_msg';
    } else if (name.charAt(0) === '#') {
      signal = '_answer_to_' + name.substring(1);
    } else {
      if (name.length < 2) { logError('subscription: name too short: "' + name + '"'); return false; }
      signal = name;
      var pipe = name.split('.')[0];
      if (!NAME_RE.test(pipe)) { logWarn('subscription: invalid characters in pipe name "' + pipe + '"'); }
      if (pipe !== 'msg' && pipe !== 'sys' && pipe !== RECOVERY_PIPE && pipe.indexOf('answer_to_') !== 0 && pipe.indexOf('_answer') !== 0) {
        serverPipe = pipe;
      }
    }
    var tab = TAB_UUID;
    var slot = this._signals.connect(signal, function (ev) {
      // marker replies only go to the one-shot callback of their request (§3.3 step 8)
      if (ev && ev.server_info && ev.server_info.marker && ev.server_info.marker !== tab) { return; }
      cb(ev);
    });
    if (serverPipe) { this._addServerPipe(serverPipe); }
    return signal + '&&' + slot;
  };

  P.unsubscription = function (id) {
    if (typeof id !== 'string' || !id) { return false; }
    if (id.indexOf('\n') !== -1) {
      var parts = id.split('\n');
      var ok = false;
      for (var i = 0; i < parts.length; i++) { ok = this.unsubscription(parts[i]) || ok; }
      return ok;
    }
    var pos = id.lastIndexOf('&&');
    if (pos === -1) { return false; }
    return this._signals.disconnect(id.substring(pos + 2), id.substring(0, pos));
  };

  P.unsubscriptionAll = function () {
    this._signals.slots = {};
    return true;
  };

  P._newMarker = function (cb) {
    var marker = randomString(10, MARKER_CHARS);
    if (typeof cb === 'function') { this._markers[marker] = cb; }
    return marker;
  };

  /**
   * web_pipe_send(pipe, event, msg) | web_pipe_send("pipe.event", msg) | web_pipe_send(pipe, msg).
   * pipe must start with web_, webauth_ or @web_ (anonymous send).
   */
  P.web_pipe_send = function (pipe, event, msg) {
    if (arguments.length < 3) {
      msg = event;
      event = undefined;
      if (typeof pipe === 'string' && pipe.indexOf('.') !== -1) {
        var dot = pipe.indexOf('.');
        event = pipe.substring(dot + 1);
        pipe = pipe.substring(0, dot);
      }
    }
    pipe = String(pipe);
    if (!/^(@?web_|webauth_)/.test(pipe)) {
      logError('web_pipe_send: the pipe name must start with web_, webauth_ or @web_: "' + pipe + '"');
      return false;
    }
    var text = JSON.stringify(msg);
    if (text === undefined) { text = 'null'; }
    return this._send('web_pipe2\n' + pipe + '\n' + event + '\n*\n' + text);
  };

  P.multi_web_pipe_send = function (pipe, event, msg, count, interval) {
    if (!msg || typeof msg !== 'object') { logError('multi_web_pipe_send: msg must be an object'); return false; }
    count = count > 0 ? count : 3;
    interval = interval > 0 ? interval : 1000;
    var copy = {};
    for (var k in msg) { if (Object.prototype.hasOwnProperty.call(msg, k)) { copy[k] = msg[k]; } }
    copy._cometApi_uuid = randomString(32, ID_CHARS);
    msg = copy;
    var self = this;
    var sent = 0;
    var once = function () {
      sent++;
      self.web_pipe_send(pipe, event, msg);
      if (sent < count) { setTimeout(once, interval); }
    };
    once();
    return true;
  };

  P.get_pipe_log = function (pipe, cb) {
    if (!NAME_RE.test(String(pipe))) { logError('get_pipe_log: invalid pipe name'); return false; }
    if (typeof cb === 'function') { this.subscription(pipe, cb); }
    return this._send('pipe_log\n' + pipe + '\n' + this._newMarker() + '\n');
  };

  P.count_users_in_pipe = function (pipe, cb) {
    if (!NAME_RE.test(String(pipe))) { logError('count_users_in_pipe: invalid pipe name'); return false; }
    return this._send('pipe_count\n' + pipe + '\n' + this._newMarker(cb) + '\n');
  };

  P.getTrackPipeUsers = function (pipe, cb) {
    if (!/^track_[A-Za-z0-9_-]*$/.test(String(pipe))) { logError('getTrackPipeUsers: the pipe must start with track_'); return false; }
    return this._send('track_pipe_users\n' + pipe + '\n' + this._newMarker(cb));
  };

  P.getUserData = function (user_id, cb) {
    if (!/^[0-9]+$/.test(String(user_id))) { logError('getUserData: user_id must be digits'); return false; }
    if (typeof cb !== 'function') { logError('getUserData: callback required'); return false; }
    return this._send('user_data\n' + this._newMarker(cb) + '\n' + user_id);
  };

  P.sendStatistics = function (plugin_name, plugin_version, plugin_data) {
    return this._send('statistics\n' + JSON.stringify({
      url: pageHref(), dev_id: String(this.options.dev_id), version: VERSION,
      plugin: { name: plugin_name, version: plugin_version, data: plugin_data }
    }));
  };

  // ------------------------------------------ incoming messages

  P._handleFrame = function (text, conn) {
    if (typeof text !== 'string') { return; }
    logDebug('recv', text);
    var lines = text.trim().split('\n');
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].trim();
      if (!line) { continue; }
      var p = parseJsonCompat(line);
      if (!p.ok || !p.value || typeof p.value !== 'object' || Array.isArray(p.value)) {
        logWarn('unparseable line skipped:', line.substring(0, 200));
        continue;
      }
      try { this._handleMessage(p.value, conn); } catch (e) { logError('message handling failed', e); }
    }
  };

  P._handleMessage = function (msg, conn) {
    if (msg.data === undefined) { return; }
    if (typeof msg.error === 'number' && msg.error > 400 && conn) {
      logError('fatal error from', conn.node, msg.error, '- no more reconnects to this node');
      conn.fatal = true;
    }
    if (msg.jscode !== undefined) {
      // The original client evaluated this; we never run code sent by a server.
      logWarn('ignored a message carrying jscode');
      return;
    }
    if (msg.authorized !== undefined && msg.event === 'serverInfo' && msg.pipe === 'sys') {
      if (conn && conn.mode === 'lp') { conn.lpResponseHasServerInfo = true; }
      this._serverInfo(msg);
      return;
    }
    var data = msg.data;
    if (typeof data === 'string') {
      var p = parseJsonCompat(data);
      if (p.ok) { data = p.value; }
    }
    if (msg.pipe === RECOVERY_PIPE) {            // positions, never an application message (§9.3)
      this._recoveryFrame(data);
      return;
    }
    var positioned = typeof msg.pipe === 'string' && isPosition(msg.epoch, msg.offset);
    // history replies (pipe_log) carry old positions: delivered as they are, the position stays
    var replay = msg.fromQueue === true || msg.history === true;
    if (positioned && !replay) {
      var res = this._resuming[msg.pipe];
      var at = this._positions[msg.pipe];
      if (res && at && (msg.epoch !== at.epoch || msg.offset > at.offset + 1)) {
        // a resume is under way and this one is past a gap: wait for the replay to fill it
        res.held.push({ msg: msg, data: data, conn: conn });
        return;
      }
      if (!this._advance(msg.pipe, msg.epoch, msg.offset)) {
        logDebug('dropped a duplicate of', msg.pipe, msg.epoch, msg.offset);
        return;
      }
      this._route(msg, data, conn);
      if (res) { this._releaseHeld(msg.pipe, false); }
      return;
    }
    this._route(msg, data, conn);
  };

  /** Delivers one message to the local signals (after the position checks). */
  P._route = function (msg, data, conn) {
    if (typeof msg.uuid === 'string' && msg.uuid) {
      if (this._isDuplicate('e:' + msg.uuid)) { return; }
    }
    if (data && typeof data === 'object' && !Array.isArray(data) && data._cometApi_uuid !== undefined) {
      var dupKey = 'm:' + data._cometApi_uuid;
      delete data._cometApi_uuid;
      if (this._isDuplicate(dupKey)) { return; }
    }
    var uid = msg.user_id ? msg.user_id : 0;
    var ev = {
      data: data,
      server_info: {
        user_id: uid,
        pipe: msg.pipe,
        event: msg.event,
        history: msg.history === true,
        marker: msg.marker,
        uuid: msg.uuid
      }
    };
    if (typeof msg.epoch === 'string' && typeof msg.offset === 'number') {
      ev.server_info.epoch = msg.epoch;
      ev.server_info.offset = msg.offset;
    }
    var hasEvent = typeof msg.event === 'string' || typeof msg.event === 'number';
    if (msg.pipe) {
      this._signals.emit(String(msg.pipe), ev);
      if (hasEvent) { this._signals.emit(msg.pipe + '.' + msg.event, ev); }
    } else {
      if (hasEvent) { this._signals.emit('msg.' + msg.event, ev); }
      this._signals.emit('msg', ev);
    }
    if (msg.marker) {
      var cb = this._markers[msg.marker];
      if (cb) {
        delete this._markers[msg.marker];
        try { cb(ev); } catch (e) { logError('callback for marker ' + msg.marker + ' threw', e); }
      }
    }
    this._signals.emit('comet_server_msg', ev);
  };

  /**
   * A live or replayed pipe message at (epoch, offset): false when it is at or before the last
   * position of the pipe in the same epoch (a duplicate), else remembers it as the position.
   */
  P._advance = function (pipe, epoch, offset) {
    var pos = this._positions[pipe];
    if (pos && pos.epoch === epoch && offset <= pos.offset) { return false; }
    if (pos && pos.epoch !== epoch) { logInfo('pipe', pipe, 'changed epoch from', pos.epoch, 'to', epoch); }
    this._positions[pipe] = { epoch: epoch, offset: offset };
    return true;
  };

  /** A resume of pipe was asked for (its position is in a tail just built). */
  P._beginResume = function (pipe) {
    var self = this;
    var res = this._resuming[pipe];
    if (!res) { res = this._resuming[pipe] = { timer: null, held: [] }; }
    if (res.timer !== null) { clearTimeout(res.timer); }
    res.timer = setTimeout(function () {
      res.timer = null;
      if (self._resuming[pipe] !== res) { return; }
      // no _recovery frame came (a server without the extension, or one that lost track): if
      // messages past a gap are held, the gap is real — deliver them and say so
      var gap = res.held.length > 0;
      self._releaseHeld(pipe, true);
      if (gap) {
        var pos = self._positions[pipe];
        self._reportRecovery(pipe, false, pos ? pos.epoch : '', pos ? pos.offset : 0);
      }
    }, RESUME_WAIT_MS);
  };

  /**
   * Delivers the held messages of pipe that follow its position without a gap, in offset order;
   * with all (the resume is over) every held one, adopting positions past a gap or in a new epoch.
   */
  P._releaseHeld = function (pipe, all) {
    var res = this._resuming[pipe];
    if (!res) { return; }
    if (all) {
      if (res.timer !== null) { clearTimeout(res.timer); }
      delete this._resuming[pipe];
    }
    var held = res.held;
    held.sort(function (a, b) { return a.msg.offset - b.msg.offset; });
    var progressed = true;
    while (progressed && held.length) {
      progressed = false;
      for (var i = 0; i < held.length; i++) {
        var h = held[i];
        var pos = this._positions[pipe];
        var next = pos && h.msg.epoch === pos.epoch && h.msg.offset === pos.offset + 1;
        var stale = pos && h.msg.epoch === pos.epoch && h.msg.offset <= pos.offset;
        if (stale) { held.splice(i, 1); progressed = true; break; }
        if (next || all) {
          held.splice(i, 1);
          if (this._advance(pipe, h.msg.epoch, h.msg.offset)) { this._route(h.msg, h.data, h.conn); }
          progressed = true;
          break;
        }
      }
    }
  };

  /** A `_recovery` frame: where a pipe stands, and whether the resume succeeded (§9.3). */
  P._recoveryFrame = function (d) {
    if (!d || typeof d !== 'object' || typeof d.pipe !== 'string' || typeof d.epoch !== 'string' || typeof d.offset !== 'number') {
      logWarn('malformed _recovery frame skipped');
      return;
    }
    var pipe = d.pipe;
    var pos = this._positions[pipe];
    var recovered = d.recovered;
    if (recovered === undefined && this._tailSkipped[pipe]) {
      recovered = false;                       // we could not ask for it: the app must know
    }
    delete this._tailSkipped[pipe];
    var serverHas = isPosition(d.epoch, d.offset);
    if (recovered === false || !serverHas) {
      if (serverHas) { this._positions[pipe] = { epoch: d.epoch, offset: d.offset }; }
      else { delete this._positions[pipe]; }  // epoch "" / offset 0: the pipe keeps no history
    } else if (!pos || pos.epoch !== d.epoch || d.offset > pos.offset) {
      this._positions[pipe] = { epoch: d.epoch, offset: d.offset };
    }
    if (recovered !== true && recovered !== false) { this._releaseHeld(pipe, true); return; }
    this._reportRecovery(pipe, recovered, d.epoch, d.offset);
    this._releaseHeld(pipe, true);             // live messages held past the gap follow the report
  };

  P._reportRecovery = function (pipe, recovered, epoch, offset) {
    if (!recovered) { logWarn('messages of pipe', pipe, 'published while disconnected could not be recovered'); }
    var info = { pipe: pipe, recovered: recovered, epoch: epoch, offset: offset };
    var list = this._recoveryCbs.slice();
    for (var i = 0; i < list.length; i++) {
      try { list[i]({ pipe: info.pipe, recovered: info.recovered, epoch: info.epoch, offset: info.offset }); }
      catch (e) { logError('onRecovery callback threw', e); }
    }
    this._signals.emit(RECOVERY_PIPE, {
      data: info,
      server_info: { user_id: 0, pipe: RECOVERY_PIPE, event: 'position', history: false, marker: undefined, uuid: undefined }
    });
  };

  P._isDuplicate = function (key) {
    var t = now();
    if (this._seen[key] !== undefined && t - this._seen[key] < DEDUP_MS) { return true; }
    this._seen[key] = t;
    this._seenCount++;
    if (this._seenCount > 200) {
      var keep = {};
      var count = 0;
      for (var k in this._seen) {
        if (Object.prototype.hasOwnProperty.call(this._seen, k) && t - this._seen[k] < DEDUP_MS) { keep[k] = this._seen[k]; count++; }
      }
      this._seen = keep;
      this._seenCount = count;
    }
    return false;
  };

  P._serverInfo = function (msg) {
    var ok = msg.authorized === true || msg.authorized === 'true';
    if (msg.data !== undefined && msg.data !== null) {
      this.setRealUserKey(String(msg.data).replace(' ', '_'));
    }
    if (msg.history === true) { this._history = true; }
    var changed = this._authorized !== ok;
    this._authorized = ok;
    if (!changed) { return; }
    var list = (ok ? this._authSuccess : this._authFail).slice();
    for (var i = 0; i < list.length; i++) {
      try { list[i](); } catch (e) { logError('auth callback threw', e); }
    }
  };

  // ------------------------------------------ status and accessors

  P.isAuthorized = function () { return this._authorized; };
  P.onAuthSuccess = function (cb) { if (typeof cb === 'function') { this._authSuccess.push(cb); return true; } return false; };
  P.onAuthFalill = function (cb) { if (typeof cb === 'function') { this._authFail.push(cb); return true; } return false; };
  /** cb({pipe, recovered, epoch, offset}) after each resume of a pipe on a reconnect (§9.3); recovered false = a gap. */
  P.onRecovery = function (cb) { if (typeof cb === 'function') { this._recoveryCbs.push(cb); return true; } return false; };
  /** The last position received for pipe ({epoch, offset}), or undefined. */
  P.getPosition = function (pipe) {
    var pos = this._positions[String(pipe)];
    return pos ? { epoch: pos.epoch, offset: pos.offset } : undefined;
  };
  P.getUserId = function () { return this.options.user_id; };
  P.getUserKey = function () { return this.options.user_key; };
  P.getDevId = function () { return this.options.dev_id; };

  P._eventKey = function () {
    var nodes = this._nodes || [];
    return nodes.join('_') + '_' + this.options.dev_id + '_' + this.options.user_id;
  };
  P.getRealUserKey = function () { return storageGet('tabSignal_' + this._eventKey() + 'real_user_key') || undefined; };
  P.setRealUserKey = function (key) { storageSet('tabSignal_' + this._eventKey() + 'real_user_key', String(key)); return true; };

  P.getUUID = function () {
    if (this.options.uuid) { return String(this.options.uuid); }
    var stored = storageGet('comet_server_uuid');
    if (stored && /^[A-Za-z0-9_-]{32}$/.test(stored)) { return stored; }
    var fresh = randomString(32, ID_CHARS);
    storageSet('comet_server_uuid', fresh);
    if (!g('localStorage')) { this.options.uuid = fresh; }
    return fresh;
  };
  P.getTabUUID = function () { return TAB_UUID; };
  P.getCustomString = function () { return randomString(10, MARKER_CHARS); };
  P.setLogLevel = function (level) { setLogLevel(level); return true; };
  P.getLogLevel = function () { return getLogLevel(); };
  P.isMaster = function () { return this._isMaster; };
  P.isConnected = function () {
    for (var i = 0; i < this._conns.length; i++) { if (this._conns[i].isOpen) { return true; } }
    return false;
  };
  /** UseWebSocket(false) forces long-poll (applies to the next connect); without argument returns the setting. */
  P.UseWebSocket = function (use) {
    if (use === undefined) { return this._useWebSocket; }
    this._useWebSocket = !!use;
    return this._useWebSocket;
  };
  P.UseWss = function (use) {
    if (use === undefined) { return this.isUseWss(); }
    this.options.wss = !!use;
    return this.options.wss;
  };
  P.isUseWss = function () {
    if (this.options.wss === true || this.options.wss === false) { return this.options.wss; }
    return pageIsSecure();
  };
  /** Which transport each node uses now: [{node, mode: "ws"|"lp", open}] (diagnostics). */
  P.getTransports = function () {
    var out = [];
    for (var i = 0; i < this._conns.length; i++) {
      out.push({ node: this._conns[i].node, mode: this._conns[i].mode, open: this._conns[i].isOpen });
    }
    return out;
  };

  var singleton = null;
  function CometServer() {
    if (!singleton) { singleton = new cometServerApi(); }
    return singleton;
  }
  singleton = new cometServerApi();

  return {
    CometServer: CometServer,
    cometApi: singleton,
    cometServerApi: cometServerApi,
    comet_server_signal: function () { return tabSignal; },
    tabSignal: tabSignal,
    version: VERSION
  };
});
