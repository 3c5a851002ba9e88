// The seed's "list of visitors updated on the fly": subscribe to a track_* pipe, get the current
// list once (getTrackPipeUsers), then apply the pipe's subscription / unsubscription events. One
// entry per connection (a user with two tabs has two), shown per user.
(function () {
  'use strict';
  var PIPE = 'track_online';
  var conns = [];                       // [{user_id, uuid}] one per connection in the pipe

  function render() {
    var perUser = {};
    var order = [];
    var guests = 0;
    conns.forEach(function (c) {
      var id = Number(c.user_id) || 0;
      if (id === 0) { guests++; return; }
      if (!perUser[id]) { perUser[id] = 0; order.push(id); }
      perUser[id]++;
    });
    order.sort(function (a, b) { return a - b; });
    var ul = document.getElementById('online');
    ul.textContent = '';
    order.forEach(function (id) {
      var li = Example.el('li', 'user', Example.nameOf(id) + (perUser[id] > 1 ? ' (' + perUser[id] + ' tabs)' : ''));
      li.setAttribute('data-user-id', String(id));
      ul.appendChild(li);
    });
    document.getElementById('guests').textContent = guests ? guests + ' guest(s)' : '';
  }

  function remove(entry) {
    for (var i = 0; i < conns.length; i++) {
      if (String(conns[i].user_id) === String(entry.user_id) && conns[i].uuid === entry.uuid) {
        conns.splice(i, 1);
        return;
      }
    }
  }

  function askBackend() {
    Example.api('/api/online').then(function (r) {
      var ul = document.getElementById('server-list');
      ul.textContent = '';
      r.users.forEach(function (u) {
        var li = Example.el('li', 'user', u.name + ' — ' + u.connections + ' connection(s)');
        li.setAttribute('data-user-id', String(u.id));
        ul.appendChild(li);
      });
      if (r.guests) { ul.appendChild(Example.el('li', 'guests', r.guests + ' guest connection(s)')); }
      ul.setAttribute('data-checked', String(Date.now()));
    }, function (err) { Example.showError(err.message); });
  }

  Example.session(function (me) {
    Example.watchStatus();
    CometServer().subscription(PIPE + '.subscription', function (e) {
      conns.push({ user_id: e.data.user_id, uuid: e.data.uuid });
      render();
    });
    CometServer().subscription(PIPE + '.unsubscription', function (e) {
      remove(e.data);
      render();
    });
    // the initial list, once we are authorized (our own subscription went out first)
    CometServer().onAuthSuccess(function () {
      CometServer().getTrackPipeUsers(PIPE, function (e) {
        conns = (e.data || []).map(function (c) { return { user_id: c.user_id, uuid: c.uuid }; });
        render();
        document.getElementById('online').setAttribute('data-loaded', 'true');
      });
    });
    Example.startComet(me);
    document.getElementById('server-check').addEventListener('click', askBackend);
  });
})();
