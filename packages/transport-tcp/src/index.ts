export { type Address, formatAddress, parseAddress } from "./address.js";
export type { MethodCodec } from "./codecs.js";
export {
  EncodeError,
  FrameSizeError,
  MalformedMessageError,
  type PeerFailureKind,
  PeerLinkError,
  RefusedError,
  TransportConfigError,
} from "./errors.js";
export { clientUri, type Identity, identitiesIn, memberUri } from "./identity.js";
export type { RequestHandler } from "./inbound.js";
export type { Logger, LogLevel, TcpTransportOptions, TlsOptions } from "./options.js";
export type { CallResult } from "./peer-link.js";
export { TcpTransport, type TransportStats } from "./transport.js";
export { PROTOCOL_VERSION } from "./wire.js";
