import type { Socket } from "node:net";
import type { CodecTable } from "./codecs.js";
import { FrameDecoder } from "./frame-decoder.js";
import { decodeMessage, encodeHandshake, type Handshake, type Message } from "./wire.js";

export interface ConnectionEvents {
  onMessage(message: Message): void;
  /** The socket's buffer emptied after a write was told to wait. */
  onDrain?(): void;
  /** Called once, when the socket is gone for any reason; `error` when we closed it for one. */
  onClose(error?: Error): void;
}

/** Counts shared by every connection of a transport. */
export interface ByteCounters {
  bytesSent: number;
  bytesReceived: number;
}

/**
 * One socket speaking length-prefixed CBOR messages. Any framing or decoding error closes the
 * socket and is reported through onClose: a peer's bad bytes never escape as an exception.
 */
export class Connection {
  private readonly decoder: FrameDecoder;
  private closed = false;
  /** The first frame of this tick, not yet written: alone, it is written as it is (see sendFrame). */
  private held: Buffer | undefined;
  private corked = false;

  constructor(
    readonly socket: Socket,
    maxFrameBytes: number,
    private readonly counters: ByteCounters,
    private readonly codecs: CodecTable,
    private readonly events: ConnectionEvents,
  ) {
    this.decoder = new FrameDecoder(maxFrameBytes);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", (error) => this.close(error));
    socket.on("drain", () => this.events.onDrain?.());
    socket.on("close", () => this.close());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Whether the socket asked us to wait for "drain" before writing more (backpressure). */
  get mustWait(): boolean {
    return this.socket.writableNeedDrain;
  }

  /** Bytes written but still in the socket's buffer. */
  get bufferedBytes(): number {
    return this.socket.writableLength + (this.held?.length ?? 0);
  }

  /** Sends a handshake message; throws EncodeError (before anything is written) if it cannot be encoded. */
  send(message: Handshake, what: string): void {
    this.sendFrame(encodeHandshake(message, what));
  }

  /** Sends an already framed message (see wire.ts). */
  sendFrame(bytes: Buffer): void {
    if (this.closed) return;
    this.counters.bytesSent += bytes.length;
    // Frames sent in the same tick leave in one system call: raft sends bursts of them, and a
    // leader answers many clients at once. The first waits until the tick ends; only a second
    // corks the socket (a lone frame corked went through the stream's writev path, 1.7 KB of
    // garbage per one-client put on the leader, put-costs.mjs).
    if (this.held === undefined && !this.corked) {
      this.held = bytes;
      process.nextTick(this.release);
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      this.writeHeld();
    }
    this.socket.write(bytes);
  }

  /** Made once: runs at the end of every tick that sent a frame. */
  private readonly release = (): void => {
    this.writeHeld();
    if (this.corked) {
      this.corked = false;
      this.socket.uncork();
    }
  };

  private writeHeld(): void {
    const bytes = this.held;
    if (bytes === undefined) return;
    this.held = undefined;
    if (!this.closed) this.socket.write(bytes);
  }

  /** Sends a last message, then closes once it is flushed. */
  sendAndEnd(message: Handshake): void {
    if (this.closed) return;
    const bytes = encodeHandshake(message, "a closing message");
    this.counters.bytesSent += bytes.length;
    this.writeHeld();
    this.socket.end(bytes);
    this.finish();
  }

  /**
   * Closes for good, but lets what was already written leave first: the socket ends once its
   * buffer is flushed, and is destroyed if that takes longer than `graceMs` (a peer that stopped
   * reading). A member that stops right after sending — a removed leader's TimeoutNow and last
   * heartbeat — would otherwise lose them, and the cluster would wait an election timeout.
   */
  end(graceMs: number): void {
    if (this.closed) return;
    this.writeHeld();
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    timer.unref();
    this.socket.once("close", () => clearTimeout(timer));
    this.finish();
  }

  close(error?: Error): void {
    if (this.closed) return;
    this.socket.destroy();
    this.finish(error);
  }

  private finish(error?: Error): void {
    this.closed = true;
    this.events.onClose(error);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.counters.bytesReceived += chunk.length;
    const error = this.decoder.push(chunk, this.onFrame);
    if (error) this.close(error);
  }

  /** Made once: it runs for every frame received. */
  private readonly onFrame = (bytes: Buffer): void => {
    if (this.closed) return;
    let message: Message;
    try {
      message = decodeMessage(bytes, this.codecs);
    } catch (error) {
      this.close(error as Error);
      return;
    }
    this.events.onMessage(message);
  };
}
