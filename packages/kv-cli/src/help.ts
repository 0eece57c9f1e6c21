/** The overview `raftkit-kv --help` prints. */
export const HELP = `raftkit-kv: a replicated key/value store on raft, over TCP

Usage:
  raftkit-kv serve  --id <n> --peers <host:port,...> --data <dir> [options]
  raftkit-kv serve  --join --id <new id> --listen <host:port> --peers <host:port,...> --data <dir>
  raftkit-kv get    <key>                  --peers <host:port,...>
  raftkit-kv put    <key> <value | - | --file <path>> --peers <host:port,...>
  raftkit-kv append <key> <value | - | --file <path>> --peers <host:port,...>
  raftkit-kv delete <key>                  --peers <host:port,...>
  raftkit-kv status                        --peers <host:port,...>
  raftkit-kv member list | add <id> <host:port> | promote <id> | remove <id> --peers <host:port,...>
  raftkit-kv shell                         --peers <host:port,...>

raftkit-kv <command> --help describes one command and its options; --version prints the version.

Exit codes: 0 done; 1 failed (the message says why: no quorum, connection refused, wrong
cluster name, a peers list that disagrees with the cluster, a value too large, ...);
2 bad command line; 3 get: no such key (an empty value prints an empty line and exits 0).

Security: without TLS, anyone who can reach a member's port (or its --http port) can read and
write every key. Bind to a private address or firewall the ports.
`;

const TLS_OPTIONS = `  --tls-cert <file>         mutual TLS: this member's or client's certificate (PEM); its SAN URI
                            raftkit://<cluster>/member/<id> or raftkit://<cluster>/client/<name>
                            says which (see the README's TLS guide)
  --tls-key <file>          mutual TLS: the certificate's private key (PEM)
  --tls-ca <file>           mutual TLS: the CA that signs every member's and client's certificate
  --tls-crl <file>          mutual TLS: revoked certificates (PEM CRL; optional)
`;

const CLIENT_OPTIONS = `Options:
  --peers <list>            members' host:port, comma-separated (required): any of them, in any
                            order; the others are learnt from the cluster (the founders in
                            their order, then members added since, save a round trip)
  --cluster <name>          the cluster's name (default: raftkit)
  --timeout <ms>            give up after this long (default: 10000); a cluster that cannot
                            answer (no quorum, refused connections, ...) is named sooner
  --max-message-bytes <n>   largest request or reply (default: 67108864, 64 MiB)
${TLS_OPTIONS}`;

/** Help for each command (`raftkit-kv <command> --help`). */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  serve: `raftkit-kv serve: run one member of the cluster

Usage: raftkit-kv serve --id <n> --peers <host:port,...> --data <dir> [options]

The member listens on its own entry of --peers (or --listen), shares that port between raft and
clients, and keeps its state (write-ahead log and snapshot) in --data, which survives kill -9
and restarts. SIGINT or SIGTERM stops it cleanly. Logs go to stderr.

A new member joins a running cluster with --join: give it a new id (never one used before) and
--listen, start it, then add it with raftkit-kv member add <id> <host:port> (see member --help).

Options:
  --id <n>                  this member's index in --peers (counting from 0), or with --join a
                            new id (--peers' length or above)
  --join                    start as a new member of a running cluster: it takes part once a
                            leader adds it (raftkit-kv member add), and catches up from it
  --peers <list>            every member's advertised host:port, the same list everywhere
  --data <dir>              directory for durable state (created if missing)
  --cluster <name>          cluster name; connections naming another are refused (default: raftkit)
  --listen <host:port>      bind here instead of the advertised address (e.g. 0.0.0.0:7001)
  --http <host:port>        serve the HTTP API (/v1/keys/<key>), /metrics and /healthz here
  --reads <mode>            how a get is made linearizable: log (default; through the log),
                            read-index (no log entry; one heartbeat round) or lease (no
                            round while the leader's lease holds; trusts members' clocks to
                            drift apart by less than a fifth of the election timeout's minimum)
  --request-timeout <ms>    a leader answers a request it could not commit by then with
                            "timeout" and the client retries (default: 1000)
  --heartbeat <ms>          raft heartbeat interval (default: 150)
  --election-timeout <min-max>  raft election timeout range in ms (default: 500-1000)
  --max-raft-state <bytes>  snapshot when the log grows past this (default: 1048576; "never")
  --max-message-bytes <n>   largest message between members and from clients (default: 64 MiB)
  --no-sync                 skip fsync (faster, loses the power-loss guarantee; testing only)
  --log-level <level>       debug, info (default), warn or error
  --log-format <format>     pretty (default on a terminal) or json (default otherwise)
${TLS_OPTIONS}                            SIGHUP makes a member reload all four files without a restart
`,
  get: `raftkit-kv get: print a key's value

Usage: raftkit-kv get <key> --peers <host:port,...>

Prints the value and a newline. A key that has no value prints nothing on stdout, says so on
stderr and exits with code 3; an empty value prints an empty line and exits 0.

${CLIENT_OPTIONS}`,
  put: `raftkit-kv put: set a key's value

Usage: raftkit-kv put <key> <value> --peers <host:port,...>
       raftkit-kv put <key> - --peers ...             (the value is read from stdin)
       raftkit-kv put <key> --file <path> --peers ... (the value is the file's contents)

${CLIENT_OPTIONS}  --file <path>             read the value from this file
`,
  append: `raftkit-kv append: append to a key's value

Usage: raftkit-kv append <key> <value> --peers <host:port,...>
       raftkit-kv append <key> - --peers ...             (the value is read from stdin)
       raftkit-kv append <key> --file <path> --peers ... (the value is the file's contents)

${CLIENT_OPTIONS}  --file <path>             read the value from this file
`,
  delete: `raftkit-kv delete: remove a key

Usage: raftkit-kv delete <key> --peers <host:port,...>

Removing a key that has no value is not an error.

${CLIENT_OPTIONS}`,
  status: `raftkit-kv status: show every member's state

Usage: raftkit-kv status --peers <host:port,...> [--json]

Prints one row per member: id, address, role, term, commit index, applied index, lag (entries
behind the highest commit index seen) and last contact (how long ago a follower last heard from
its leader). A member that cannot be reached shows why. Exits 1 when no member leads.

${CLIENT_OPTIONS}  --json                    print the rows as JSON instead of a table
`,
  member: `raftkit-kv member: list and change the cluster's members

Usage: raftkit-kv member list                        --peers <host:port,...> [--json]
       raftkit-kv member add <id> <host:port>        --peers ... [--learner]
       raftkit-kv member promote <id>                --peers ...
       raftkit-kv member remove <id>                 --peers ...

list prints the leader's configuration: voters, learners and their addresses. add records a
new member (started with serve --join --id <id> --listen <host:port>) as a learner: it receives
the log without voting and becomes a voter on its own once it has caught up (with --learner it
stays a learner until you promote it). remove takes a voter or a learner out; removing the
leader hands leadership to another voter first. A removed member stops itself.

One change at a time: a change asked for while another is committing, or a promotion of a
learner still catching up, is retried until --timeout. To replace a member whose disk is gone:
add a new member with a new id, wait until list shows it a voter, then remove the old id. Ids
are never reused. Clients learn members added since from the cluster: a founders-only
--peers keeps working, and so does a list of members added later once the founders are gone.

${CLIENT_OPTIONS}  --learner                 member add: keep the new member a learner until promoted
  --json                    member list: print the configuration as JSON
`,
  shell: `raftkit-kv shell: run commands interactively

Usage: raftkit-kv shell --peers <host:port,...>

Reads get/put/append/delete lines (prompt "kv> " on a terminal) until end of input or quit. A
value may contain spaces: everything after the key is the value. Exits with code 1 if any
command failed.

${CLIENT_OPTIONS}`,
};
