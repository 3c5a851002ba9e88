// Script-style usage through the globals declared by comet.d.ts (checked by tsc, never run).
/// <reference path="../../../main/resources/io/comet/transport/client/comet.d.ts" />

CometServer().start({ dev_id: 0, user_id: 1, user_key: 'userHash', node: 'example.com:8087' }, () => {});
cometApi.start({ nodes: ['a', 'b'], wss: true, nostat: true, roundrobin: true, uuid: 'x' });
cometApi.restart({ user_id: '5', user_key: 'k' });

const id: string | false = cometApi.subscription('web_chat.newmsg', (e) => {
  const who: number = e.server_info.user_id;
  const pipe: string | undefined = e.server_info.pipe;
  console.log(who, pipe, e.data.text);
});
if (id) cometApi.unsubscription(id);
cometApi.subscription((e) => console.log(e.server_info.event));
cometApi.subscription<{ number_messages: number }>('#web_chat', (e) => console.log(e.data.number_messages));
cometApi.unsubscriptionAll();

cometApi.web_pipe_send('web_chat', 'newmsg', { text: 'hi' });
cometApi.web_pipe_send('web_chat.newmsg', 'hi');
cometApi.web_pipe_send('@web_chat', { text: 'anonymous' });
cometApi.multi_web_pipe_send('web_chat', 'e', { t: 1 }, 3, 1000);
cometApi.get_pipe_log('web_chat', (e) => console.log(e.data));
cometApi.count_users_in_pipe('web_chat', (e) => console.log(e.data));
cometApi.getTrackPipeUsers('track_online', (e) => e.data.forEach((u) => console.log(u.user_id, u.uuid)));
cometApi.getUserData(7, (e) => console.log(e.data.user_data));
cometApi.sendStatistics('plugin', '1.0', { a: 1 });

const auth: boolean | undefined = cometApi.isAuthorized();
cometApi.onAuthSuccess(() => {});
cometApi.onAuthFalill(() => {});
cometApi.onRecovery((r) => { if (!r.recovered) console.log('reload', r.pipe, r.epoch, r.offset); });
const pos = cometApi.getPosition('web_chat');
const off: number | undefined = pos && pos.offset;
cometApi.subscription('web_chat', (e) => console.log(e.server_info.epoch, e.server_info.offset, off));
cometApi.subscription<CometRecoveryAlias>('_recovery', (e) => console.log(e.data.recovered));
type CometRecoveryAlias = { pipe: string; recovered: boolean; epoch: string; offset: number };
const s: string = cometApi.getUUID() + cometApi.getTabUUID() + cometApi.getCustomString() + cometApi.getDevId();
cometApi.setLogLevel(2);
const lvl: number = cometApi.getLogLevel();
const master: boolean | undefined = cometApi.isMaster();
const conn: boolean = cometApi.isConnected();
cometApi.UseWebSocket(false);
cometApi.UseWss(true);
const wss: boolean = cometApi.isUseWss();
console.log(cometApi.getUserId(), cometApi.getUserKey(), cometApi.getRealUserKey(), auth, s, lvl, master, conn, wss);

const other = new cometServerApi();
other.start({ node: 'n' });
const slot = comet_server_signal().connect('AddToChat', (m) => console.log(m));
comet_server_signal().send_emit('AddToChat', { text: 'x' });
if (slot) tabSignal.disconnect(slot, 'AddToChat');

// @ts-expect-error unknown method
cometApi.noSuchMethod();
// @ts-expect-error wss must be boolean
cometApi.start({ wss: 'yes' });
// @ts-expect-error callback required for subscription
cometApi.subscription('web_chat', 5);
