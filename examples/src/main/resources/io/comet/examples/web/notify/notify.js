// Private notifications (cppcomet-docs "Отправка сообщений для авторизованных пользователей"):
// the page listens to msg.notify (no pipe subscription is needed: private messages reach every
// authorized connection of the user); sending goes through the backend, which does
// INSERT INTO users_messages (id, event, message).
(function () {
  'use strict';

  function showNote(e) {
    var d = (e.data && typeof e.data === 'object') ? e.data : { text: String(e.data) };
    var p = Example.el('p', 'note');
    if (d.from_id !== undefined) { p.setAttribute('data-from-id', String(d.from_id)); }
    p.appendChild(Example.el('b', 'who', String(d.from || 'System') + ': '));
    p.appendChild(Example.el('span', 'text', String(d.text)));
    if (d.sent) { p.appendChild(Example.el('span', 'time', 'sent ' + d.sent)); }
    var notes = document.getElementById('notes');
    notes.appendChild(p);
    notes.scrollTop = notes.scrollHeight;
  }

  function send() {
    var text = document.getElementById('note-text').value.trim();
    var to = document.getElementById('to').value;
    var status = document.getElementById('note-status');
    if (!text) { return; }
    status.textContent = 'sending…';
    Example.api('/api/notify', { to: to, text: text }).then(function () {
      document.getElementById('note-text').value = '';
      status.textContent = 'sent to ' + Example.nameOf(to);
    }, function (err) { status.textContent = 'failed: ' + err.message; });
  }

  Example.session(function (me) {
    var select = document.getElementById('to');
    Object.keys(window.COMET_USERS || {}).forEach(function (id) {
      var o = Example.el('option', null, window.COMET_USERS[id] + (String(id) === String(me.id) ? ' (you)' : ''));
      o.value = id;
      select.appendChild(o);
    });
    Example.watchStatus();
    CometServer().subscription('msg.notify', showNote);
    Example.startComet(me);
    document.getElementById('note-send').addEventListener('click', send);
  });
})();
