export {
  CorruptFileError,
  PersisterClosedError,
  PersisterError,
  StorageEncodeError,
  UnsupportedFormatError,
} from "./errors.js";
export {
  FilePersister,
  type FilePersisterOptions,
  type FilePersisterStats,
  WAL_FILE,
} from "./file-persister.js";
export { SNAPSHOT_FILE } from "./snapshot-file.js";
