// Streaming endpoints of the Kubernetes API (exec, attach, port-forward) as kubectl and
// other clients speak them: WebSocket channel protocols and SPDY/3.1, including SPDY
// tunnelled through WebSocket. The API server mounts these on its HTTP 'upgrade' event;
// backends (a node agent driving Docker, or a test process) plug in behind them.
export {
  handleExecUpgrade,
  handleAttachUpgrade,
  SPDY_REMOTE_COMMAND_PROTOCOLS,
  type ExecSession,
  type ExecRequest,
  type AttachRequest,
  type ExecBackend,
  type AttachBackend,
  type RemoteCommandResult,
  type RemoteCommandOptions,
  type ExecUpgradeOptions,
  type AttachUpgradeOptions,
} from './remoteCommand';
export {
  handlePortForwardUpgrade,
  parsePorts,
  PORT_FORWARD_PROTOCOL,
  TUNNELED_PORT_FORWARD_PROTOCOL,
  type PortForwardBackend,
  type PortForwardOptions,
} from './portForward';
export { parseRemoteCommandQuery, queryBool, type RemoteCommandQuery } from './query';
export {
  isStreamingUpgrade,
  upgradeKind,
  respondUpgradeRequired,
  writeStatusResponse,
  type UpgradeKind,
} from './httpUpgrade';
export { TerminalSizeQueue, type TerminalSize } from './terminalSize';
export { successStatus, exitCodeStatus, errorStatus, type ExitStatus } from './status';
