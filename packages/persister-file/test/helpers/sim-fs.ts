import { basename, dirname } from "node:path";
import type { StorageFile, StorageFileSystem } from "../../src/index.js";

/** A file's bytes as the process sees them, and as they are on the platter (last fsync). */
class Inode {
  data = Buffer.alloc(0);
  synced = Buffer.alloc(0);
}

/** A directory's names as the process sees them, and as they are durably (last fsync of it). */
class DirNode {
  entries = new Map<string, Inode | DirNode>();
  synced = new Map<string, Inode | DirNode>();
}

/** What survives a crash: only what was synced, or everything, or synced plus a torn part of the rest. */
export type CrashMode = "lose-unsynced" | "keep-all" | "torn";

export function errno(code: string, op: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${op} '${path}'`), { code });
}

/** The error every operation throws once the simulated process has crashed. */
export class SimulatedCrash extends Error {
  override readonly name = "SimulatedCrash";
}

/**
 * An in-memory filesystem with POSIX's durability rules, for crash-point tests: file bytes
 * survive a crash only once the file is fsync'd, and a new name, a rename or a removal only once
 * its directory is fsync'd. Operation N can be made the crash point: it and every later one
 * throw SimulatedCrash, and `afterCrash()` gives the filesystem a restarted process would find.
 * `spaceBytes` models a full disk (or `ulimit -f`): a write past it is short, the next fails ENOSPC.
 */
export class SimFileSystem implements StorageFileSystem {
  private root = new DirNode();
  /** Mutating operations and syncs made so far, as "op path" lines. */
  readonly ops: string[] = [];
  crashAt: number | undefined;
  spaceBytes = Number.POSITIVE_INFINITY;
  private crashed = false;

  constructor() {
    this.root.synced = this.root.entries;
  }

  get hasCrashed(): boolean {
    return this.crashed;
  }

  /**
   * Counts an operation; at the crash point, the process dies before the operation happens.
   * Every operation first yields a turn of the event loop, as real I/O does, so other calls
   * interleave with it.
   */
  private async step(op: string, path: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.crashed) throw new SimulatedCrash(`${op} ${path} after the crash`);
    if (this.ops.length === this.crashAt) {
      this.crashed = true;
      throw new SimulatedCrash(`crash at operation ${this.crashAt}: ${op} ${path}`);
    }
    this.ops.push(`${op} ${basename(path)}`);
  }

  private lookup(path: string): Inode | DirNode | undefined {
    if (path === "/") return this.root;
    const parent = this.lookup(dirname(path));
    return parent instanceof DirNode ? parent.entries.get(basename(path)) : undefined;
  }

  private parentOf(path: string, op: string): DirNode {
    const parent = this.lookup(dirname(path));
    if (!(parent instanceof DirNode)) throw errno("ENOENT", op, path);
    return parent;
  }

  private file(path: string, op: string): Inode {
    const node = this.lookup(path);
    if (!(node instanceof Inode)) throw errno(node ? "EISDIR" : "ENOENT", op, path);
    return node;
  }

  async mkdir(path: string): Promise<void> {
    await this.step("mkdir", path);
    const parent = this.parentOf(path, "mkdir");
    if (parent.entries.has(basename(path))) throw errno("EEXIST", "mkdir", path);
    parent.entries.set(basename(path), new DirNode());
  }

  async readFile(path: string): Promise<Buffer> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.crashed) throw new SimulatedCrash(`read ${path} after the crash`);
    return Buffer.from(this.file(path, "open").data);
  }

  async open(path: string, flags: "a" | "w" | "wx" | "r"): Promise<StorageFile> {
    let node = this.lookup(path);
    if (flags === "wx" && node) throw errno("EEXIST", "open", path);
    if (flags !== "r") {
      await this.step(`open-${flags}`, path);
      if (!node) {
        node = new Inode();
        this.parentOf(path, "open").entries.set(basename(path), node);
      }
      if (!(node instanceof Inode)) throw errno("EISDIR", "open", path);
      if (flags !== "a") node.data = Buffer.alloc(0);
    } else if (!node) {
      throw errno("ENOENT", "open", path);
    }
    return this.handle(path, node);
  }

  private handle(path: string, node: Inode | DirNode): StorageFile {
    return {
      writev: async (buffers) => {
        await this.step("write", path);
        if (!(node instanceof Inode)) throw errno("EISDIR", "write", path);
        const bytes = Buffer.concat(buffers);
        const room = Math.max(0, this.spaceBytes - this.usedBytes());
        if (bytes.length > 0 && room === 0) throw errno("ENOSPC", "write", path);
        const written = bytes.subarray(0, Math.min(bytes.length, room));
        node.data = Buffer.concat([node.data, written]);
        return { bytesWritten: written.length };
      },
      datasync: async () => this.sync(path, node),
      sync: async () => this.sync(path, node),
      close: async () => {},
    };
  }

  private async sync(path: string, node: Inode | DirNode): Promise<void> {
    await this.step("fsync", path);
    if (node instanceof Inode) node.synced = Buffer.from(node.data);
    else node.synced = new Map(node.entries);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.step("rename", `${from} -> ${basename(to)}`);
    const source = this.parentOf(from, "rename");
    const node = source.entries.get(basename(from));
    if (!node) throw errno("ENOENT", "rename", from);
    source.entries.delete(basename(from));
    this.parentOf(to, "rename").entries.set(basename(to), node);
  }

  async rm(path: string): Promise<void> {
    if (!this.lookup(path)) return;
    await this.step("unlink", path);
    this.parentOf(path, "rm").entries.delete(basename(path));
  }

  async truncate(path: string, length: number): Promise<void> {
    await this.step("truncate", path);
    const node = this.file(path, "truncate");
    node.data = node.data.subarray(0, length);
  }

  private usedBytes(): number {
    let total = 0;
    const visit = (dir: DirNode) => {
      for (const node of dir.entries.values()) {
        if (node instanceof DirNode) visit(node);
        else total += node.data.length;
      }
    };
    visit(this.root);
    return total;
  }

  /**
   * The filesystem a restarted process finds. "torn" keeps, of each file's unsynced appended
   * bytes, a prefix of `tornBytes(unsynced)` bytes (a seeded choice in the caller).
   */
  afterCrash(mode: CrashMode, tornBytes: (unsynced: number) => number = () => 0): SimFileSystem {
    const next = new SimFileSystem();
    const copied = new Map<Inode, Inode>();
    const copyDir = (dir: DirNode): DirNode => {
      const out = new DirNode();
      for (const [name, node] of mode === "keep-all" ? dir.entries : dir.synced) {
        out.entries.set(name, node instanceof DirNode ? copyDir(node) : copyFile(node));
      }
      out.synced = new Map(out.entries);
      return out;
    };
    const copyFile = (node: Inode): Inode => {
      const known = copied.get(node);
      if (known) return known;
      const out = new Inode();
      out.data = Buffer.from(mode === "keep-all" ? node.data : node.synced);
      const appended = node.data.length - node.synced.length;
      if (mode === "torn" && appended > 0 && node.data.subarray(0, node.synced.length).equals(node.synced)) {
        out.data = Buffer.from(node.data.subarray(0, node.synced.length + tornBytes(appended)));
      }
      out.synced = out.data;
      copied.set(node, out);
      return out;
    };
    next.root = copyDir(this.root);
    return next;
  }

  /** Flips one bit of a file's bytes (as seen now and as synced). */
  flipBit(path: string, byte: number, bit: number): void {
    const node = this.file(path, "flip");
    node.data[byte] = node.data[byte]! ^ (1 << bit);
    node.synced = Buffer.from(node.data);
  }

  bytes(path: string): Buffer {
    return Buffer.from(this.file(path, "read").data);
  }
}
