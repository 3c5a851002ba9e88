// Type declarations for the Comet browser client (comet.js / comet.mjs).
// Script use: the globals CometServer(), cometApi, cometServerApi are declared below.
// Module use: import { CometServer, cometApi, cometServerApi } from "./comet.mjs".

/** Options of start() / restart() (client-protocol.md §5.2). */
export interface CometStartOptions {
  /** Namespace (tenant); "0" for self-hosted servers. Sent as `devid`. */
  dev_id?: string | number;
  /** Positive user id for authentication; unset/0 = anonymous. Sent as `myid`. */
  user_id?: string | number;
  /** Auth hash or JWT stored by the backend. Sent as `sesion`. */
  user_key?: string;
  /** `host[:port][/prefix]` without scheme, or several nodes (one connection per node). */
  node?: string | string[];
  /** Alias of node (array form). */
  nodes?: string[];
  /** true → wss/https, false → ws/http; default: from the page protocol. */
  wss?: boolean;
  /** Overrides the persisted browser id (32 chars [A-Za-z0-9_-]). */
  uuid?: string;
  /** Do not send the `statistics` command. */
  nostat?: boolean;
  /** Connect only to node `user_id % n` (random for anonymous users). */
  roundrobin?: boolean;
  /** Back-off window base in ms (default 500). Extension. */
  reconnect_base?: number;
  /** Back-off window cap in ms (default 30000). Extension. */
  reconnect_max?: number;
  [key: string]: unknown;
}

/** The object handed to subscription callbacks (§3.4). */
export interface CometMessage<T = any> {
  data: T;
  server_info: {
    /** Sender id stamped by the server (0 = anonymous / backend). */
    user_id: number;
    pipe: string | undefined;
    event: string | undefined;
    history: boolean;
    marker: string | undefined;
    uuid: string | undefined;
    /** Stream position of a pipe message (Comet extension, client-protocol §9); absent otherwise. */
    epoch?: string;
    offset?: number;
  };
}

/**
 * A pipe's resume after a reconnect (client-protocol §9.3). recovered false: messages published
 * while disconnected are lost for this page (history lost or too short) — reload the app state.
 */
export interface CometRecovery {
  pipe: string;
  recovered: boolean;
  /** The position the client continues from. */
  epoch: string;
  offset: number;
}

/** A pipe's last received position. */
export interface CometPosition {
  epoch: string;
  offset: number;
}

export type CometCallback<T = any> = (event: CometMessage<T>) => void;

/** Delivery report of web_pipe_send (`#pipe` subscription). */
export interface CometDeliveryReport {
  message: string;
  number_messages: number;
  error?: string;
}

export interface CometTrackUser {
  user_id: number;
  uuid: string;
}

export interface CometTransportInfo {
  node: string;
  mode: 'ws' | 'lp' | null;
  open: boolean;
}

export interface CometSignalBus {
  connect(name: string, cb: (param: any, name: string) => void): string | false;
  connect(slot: string, name: string, cb: (param: any, name: string) => void): string | false;
  disconnect(slot: string, name?: string): boolean;
  emit(name: string, param?: any): void;
  /** Emits here and in the other tabs of the same origin. */
  send_emit(name: string, param?: any): void;
}

export interface CometServerApi {
  readonly version: string;
  start(opt?: CometStartOptions, cb?: () => void): boolean;
  restart(opt?: CometStartOptions): boolean;
  stop(): boolean;

  /**
   * Name forms: "pipe", "pipe.event", "#pipe" (delivery reports), "msg", "msg.event",
   * "" (everything), "a\nb" (several). Returns an id for unsubscription() or false.
   */
  subscription<T = any>(name: string, cb: CometCallback<T>): string | false;
  subscription<T = any>(cb: CometCallback<T>): string | false;
  unsubscription(id: string): boolean;
  unsubscriptionAll(): boolean;

  /** Pipe must start with web_, webauth_ or @web_. */
  web_pipe_send(pipe: string, event: string | undefined, msg: unknown): boolean;
  /** ("pipe.event", msg) or (pipe, msg) with event undefined. */
  web_pipe_send(pipeOrPipeEvent: string, msg: unknown): boolean;
  multi_web_pipe_send(pipe: string, event: string | undefined, msg: object, count?: number, interval?: number): boolean;
  get_pipe_log<T = any>(pipe: string, cb?: CometCallback<T>): boolean;
  /** cb gets the `_answer_pipe_count` reply; data is ["user_in_pipe", N] (or {user_in_pipe: N}). */
  count_users_in_pipe(pipe: string, cb: CometCallback<[string, number] | { user_in_pipe: number }>): boolean;
  getTrackPipeUsers(pipe: string, cb: CometCallback<CometTrackUser[]>): boolean;
  getUserData(user_id: string | number, cb: CometCallback<{ user_data: any; user_id: number }>): boolean;
  sendStatistics(plugin_name: string, plugin_version: string, plugin_data?: unknown): boolean;

  /** true / false / undefined (not known yet). */
  isAuthorized(): boolean | undefined;
  onAuthSuccess(cb: () => void): boolean;
  /** Sic: the original API's spelling. */
  onAuthFalill(cb: () => void): boolean;
  /** Called for every pipe resumed on a reconnect, recovered or not (extension). */
  onRecovery(cb: (r: CometRecovery) => void): boolean;
  /** The last position received for pipe, or undefined (extension). */
  getPosition(pipe: string): CometPosition | undefined;

  getUserId(): string | number | undefined;
  getUserKey(): string | undefined;
  getDevId(): string;
  getRealUserKey(): string | undefined;
  setRealUserKey(key: string): boolean;
  getUUID(): string;
  getTabUUID(): string;
  getCustomString(): string;
  setLogLevel(level: number): boolean;
  getLogLevel(): number;
  isMaster(): boolean | undefined;
  isConnected(): boolean;
  UseWebSocket(use?: boolean): boolean;
  UseWss(use?: boolean): boolean;
  isUseWss(): boolean;
  getTransports(): CometTransportInfo[];
}

export interface CometServerApiConstructor {
  new (): CometServerApi;
  (): CometServerApi;
  readonly prototype: CometServerApi;
}

/** Returns the page-wide singleton `cometApi`. */
export declare function CometServer(): CometServerApi;
export declare const cometApi: CometServerApi;
export declare const cometServerApi: CometServerApiConstructor;
export declare function comet_server_signal(): CometSignalBus;
export default cometApi;

declare global {
  function CometServer(): CometServerApi;
  var cometApi: CometServerApi;
  var cometServerApi: CometServerApiConstructor;
  var _cometServerApi: CometServerApiConstructor;
  function comet_server_signal(): CometSignalBus;
  var tabSignal: CometSignalBus;
}
