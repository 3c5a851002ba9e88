// The seed's chat with authorization (cppcomet-docs "Как сделать чат с авторизацией"), with the
// Java backend in place of the PHP one. Messages go from the page straight to the webauth_chat
// pipe (only authorized connections may publish there); the name shown is looked up from the
// user id that the Comet server stamps on each copy (server_info.user_id), never from the payload.
(function () {
  'use strict';
  var PIPE = 'webauth_chat';
  var feed = document.getElementById('messages');
  var me = null;

  function add(p) { feed.appendChild(p); feed.scrollTop = feed.scrollHeight; }

  function message(userId, text, cls) {
    var p = Example.el('p', 'msg' + (cls ? ' ' + cls : ''));
    p.setAttribute('data-user-id', String(userId));
    p.appendChild(Example.el('b', 'who', Example.nameOf(userId) + ': '));
    p.appendChild(Example.el('span', 'text', text));
    p.appendChild(Example.el('span', 'uid', 'id ' + userId));
    add(p);
  }

  function notice(text, kind) {
    var p = Example.el('p', 'notice ' + kind, text);
    add(p);
  }

  function send() {
    var textEl = document.getElementById('text');
    var text = textEl.value.trim();
    if (!text) { return; }
    textEl.value = '';
    message(me.id, text, 'mine');
    document.getElementById('report').textContent = 'sending…';
    CometServer().web_pipe_send(PIPE, 'message', { text: text });
  }

  Example.session(function (user) {
    me = user;
    Example.startComet(me);
    Example.watchStatus();

    CometServer().subscription(PIPE + '.message', function (e) {
      var text = e.data && typeof e.data === 'object' ? e.data.text : e.data;
      message(e.server_info.user_id, typeof text === 'string' ? text : String(text));
    });
    CometServer().subscription('#' + PIPE, function (e) {
      var d = e.data || {};
      document.getElementById('report').textContent = d.number_messages !== undefined
        ? 'delivered to ' + d.number_messages : 'not sent: ' + (d.error || 'error');
    });
    CometServer().subscription('loginPipe.userLogin', function (e) {
      notice(String(e.data && e.data.name) + ' joined the chat.', 'join');
    });
    CometServer().subscription('loginPipe.userExit', function (e) {
      notice(String(e.data && e.data.name) + ' left the chat.', 'leave');
    });
    document.getElementById('send').addEventListener('click', send);
    document.getElementById('text').addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); send(); }
    });
  });
})();
