export { LOCK_FILE } from "./directory-lock.js";
export {
  CorruptFileError,
  DirectoryLockedError,
  PersisterClosedError,
  PersisterError,
  ShortWriteError,
  StorageEncodeError,
  UnsupportedFormatError,
} from "./errors.js";
export { FilePersister, type FilePersisterOptions, type FilePersisterStats } from "./file-persister.js";
export { nodeFileSystem, type StorageFile, type StorageFileSystem } from "./fs/file-system.js";
export { SNAPSHOT_FILE } from "./snapshot-file.js";
export { WAL_FILE } from "./wal-format.js";
