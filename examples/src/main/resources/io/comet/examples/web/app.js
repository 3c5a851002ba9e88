// Shared by the backend-served examples (auth, online, notify). /env.js (from the backend) sets
// COMET_NODE (the Comet server's host:port) and COMET_USERS (the public id -> name list, the
// seed's $usersPublicData). Everything user-provided is rendered with textContent only.
(function () {
  'use strict';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function api(path, params) {
    var opt = { method: params ? 'POST' : 'GET', credentials: 'same-origin' };
    if (params) {
      opt.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
      opt.body = new URLSearchParams(params).toString();
    }
    return fetch(path, opt).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body && body.error ? body.error : ('HTTP ' + r.status)); }
        return body;
      });
    });
  }

  function nameOf(userId) {
    var n = window.COMET_USERS ? window.COMET_USERS[String(userId)] : undefined;
    return n !== undefined ? n : (Number(userId) > 0 ? '#' + userId : 'Guest');
  }

  // Loads comet.js from the Comet server itself, then calls cb().
  function loadComet(cb) {
    if (window.CometServer) { cb(); return; }
    var s = document.createElement('script');
    s.src = location.protocol + '//' + window.COMET_NODE + '/comet.js';
    s.onload = cb;
    s.onerror = function () { showError('Cannot load comet.js from ' + window.COMET_NODE); };
    document.head.appendChild(s);
  }

  function startComet(me) {
    CometServer().start({ dev_id: 0, node: window.COMET_NODE, user_id: me.id, user_key: me.key });
  }

  function showError(text) {
    var e = document.getElementById('error');
    if (e) { e.textContent = text; }
  }

  // Shows the login form until the backend knows us, then calls onUser(me) with
  // { id, login, name, key } (key = the Comet key the backend put into users_auth).
  function session(onUser) {
    var form = document.getElementById('login-form');
    var app = document.getElementById('app');
    function enter(me) {
      form.style.display = 'none';
      app.style.display = '';
      document.getElementById('me').textContent = me.name;
      document.getElementById('me').setAttribute('data-user-id', String(me.id));
      loadComet(function () { onUser(me); });
    }
    document.getElementById('logout').addEventListener('click', function () {
      api('/api/logout', {}).then(function () {
        if (window.CometServer) { CometServer().stop(); }
        location.reload();
      });
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      showError('');
      api('/api/login', { login: document.getElementById('login').value, pass: document.getElementById('pass').value })
        .then(enter, function (err) { showError(err.message); });
    });
    api('/api/me').then(function (me) {
      if (me.id > 0) { enter(me); } else { form.style.display = ''; }
    }, function (err) { showError(err.message); });
  }

  function watchStatus() {
    setInterval(function () {
      var s = document.getElementById('status');
      var t = window.CometServer && CometServer().getTransports ? CometServer().getTransports() : [];
      if (!s) { return; }
      if (t.length && t[0].open) {
        var auth = CometServer().isAuthorized();
        s.textContent = 'connected (' + (t[0].mode === 'lp' ? 'long-poll' : 'WebSocket') + ')'
          + (auth === true ? ', authorized' : (auth === false ? ', NOT authorized' : ''));
        s.setAttribute('data-mode', t[0].mode);
        s.setAttribute('data-authorized', String(auth));
      } else {
        s.textContent = 'connecting…';
        s.removeAttribute('data-mode');
      }
    }, 250);
  }

  window.Example = { el: el, api: api, nameOf: nameOf, session: session, startComet: startComet,
    showError: showError, watchStatus: watchStatus };
})();
