// The seed's public chat (cppcomet-docs "Как сделать чат"): messages go straight to the web_chat
// pipe with web_pipe_send; "#web_chat" delivers the server's report on how many got each one.
// User text is only ever put into the page with textContent.
(function () {
  'use strict';
  var PIPE = 'web_chat';
  var feed = document.getElementById('messages');

  function line(cls, who, text, userId) {
    var p = document.createElement('p');
    p.className = 'msg ' + (cls || '');
    if (userId !== undefined) { p.setAttribute('data-user-id', String(userId)); }
    var b = document.createElement('b');
    b.className = 'who';
    b.textContent = who + ': ';
    var t = document.createElement('span');
    t.className = 'text';
    t.textContent = text;
    p.appendChild(b);
    p.appendChild(t);
    feed.appendChild(p);
    feed.scrollTop = feed.scrollHeight;
  }

  function str(v, fallback) {
    return (typeof v === 'string' && v !== '') ? v : (v === undefined || v === null ? fallback : String(v));
  }

  function send() {
    var textEl = document.getElementById('text');
    var text = textEl.value.trim();
    var name = document.getElementById('name').value.trim() || 'Anonymous';
    if (!text) { return; }
    textEl.value = '';
    line('mine', name, text);                       // the sender gets no copy: show it now
    document.getElementById('report').textContent = 'sending…';
    CometServer().web_pipe_send(PIPE, 'message', { text: text, name: name });
  }

  CometServer().start({ dev_id: 0, node: location.host });

  // every event of the pipe: browser messages ("message") and backend ones (the bash example)
  CometServer().subscription(PIPE, function (e) {
    var d = (e.data && typeof e.data === 'object') ? e.data : { text: str(e.data, '') };
    line('', str(d.name, 'Anonymous'), str(d.text, ''), e.server_info.user_id);
  });

  // delivery report of our own messages (pipe _answer_to_web_chat)
  CometServer().subscription('#' + PIPE, function (e) {
    var n = e.data && e.data.number_messages !== undefined ? e.data.number_messages : '?';
    document.getElementById('report').textContent = 'delivered to ' + n;
  });

  document.getElementById('send').addEventListener('click', send);
  document.getElementById('text').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); send(); }
  });

  setInterval(function () {
    var t = CometServer().getTransports ? CometServer().getTransports() : [];
    var s = document.getElementById('status');
    if (t.length && t[0].open) {
      s.textContent = 'connected (' + (t[0].mode === 'lp' ? 'long-poll' : 'WebSocket') + ')';
      s.setAttribute('data-mode', t[0].mode);
    } else {
      s.textContent = 'connecting…';
      s.removeAttribute('data-mode');
    }
  }, 250);
})();
