// ES module usage (comet.mjs + comet.d.mts), checked by tsc.
import cometDefault, { CometServer, cometApi, cometServerApi, comet_server_signal } from '../../../main/resources/io/comet/transport/client/comet.mjs';
import type { CometMessage, CometRecovery, CometStartOptions } from '../../../main/resources/io/comet/transport/client/comet.mjs';

const opts: CometStartOptions = { node: 'localhost:8087', dev_id: 0 };
CometServer().start(opts);
cometDefault.subscription('msg.ev', (e: CometMessage<{ text: string }>) => console.log(e.data.text));
const api2 = new cometServerApi();
api2.web_pipe_send('web_x', 'e', 1);
console.log(cometApi === CometServer(), comet_server_signal());
cometApi.onRecovery((r: CometRecovery) => console.log(r.pipe, r.recovered));
// @ts-expect-error recovered is a boolean
cometApi.onRecovery((r: CometRecovery) => { const s2: string = r.recovered; console.log(s2); });
// @ts-expect-error getUUID returns a string
const n: number = cometApi.getUUID();
console.log(n);
