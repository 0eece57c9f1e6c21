import type { MembershipChange } from "@raftkit/raft";
import {
  MemberIdRemovedError,
  type MembersView,
  NoQuorumError,
  MembershipChangeRefusedError as RefusedError,
  ServiceClient,
} from "@raftkit/service";
import { clientTransport } from "../cluster-client.js";
import { Endpoints } from "../endpoints.js";
import { KvCliError, MembershipChangeRefusedError } from "../errors.js";
import type { MemberCommand } from "../options.js";
import { memberTable } from "../output/member-table.js";

/**
 * `member list` prints the leader's configuration; `member add|promote|remove` asks the leader
 * for one change and returns once it is committed — both through the service layer's membership
 * admin (Service.Members, Service.ChangeMembership). A change refused for now (another one in
 * flight, a learner still catching up, a new leader) is retried until --timeout.
 */
export async function member(command: MemberCommand): Promise<void> {
  // A change answers once committed: under load that can take seconds, and an attempt cut
  // short is one whose outcome is unknown (retried, then checked against the configuration).
  const tcp = clientTransport(command, "member", 5000);
  const endpoints = new Endpoints(tcp, command.peers);
  const client = new ServiceClient(endpoints.seeds(), {
    cluster: command.cluster,
    timeoutMs: command.timeoutMs,
    retryDelayMs: 250,
    endsFor: endpoints.endsFor,
  });
  try {
    if (command.action === "list") {
      const view = await leadersView(client);
      const shown = { ...view, addresses: addressesOf(view, endpoints) };
      process.stdout.write(command.json ? `${JSON.stringify(shown)}\n` : memberTable(shown));
      return;
    }
    const change: MembershipChange =
      command.action === "add"
        ? { kind: "add-learner", id: command.id, address: command.address, autoPromote: !command.learner }
        : { kind: command.action, id: command.id };
    const done = await client.changeMembership(change).catch((error: unknown) => {
      if (error instanceof MemberIdRemovedError || error instanceof RefusedError)
        throw new MembershipChangeRefusedError(error.code, error.message);
      if (error instanceof NoQuorumError) throw new KvCliError(`gave up after --timeout: ${error.message}`);
      throw error;
    });
    const { voters, learners } = done.membership;
    process.stderr.write(
      `${describe(command)}${done.index !== undefined ? ` (entry ${done.index})` : ""}; voters ${voters.join(",")}${learners.length > 0 ? `, learners ${learners.join(",")}` : ""}\n`,
    );
  } finally {
    await tcp.close();
  }
}

/** The leader's configuration; with no leader before --timeout, the first member's that answers. */
async function leadersView(client: ServiceClient): Promise<MembersView> {
  try {
    return await client.members();
  } catch (error) {
    if (!(error instanceof NoQuorumError)) throw error;
    return client.members({ anyReplica: true, timeoutMs: 2000 }).catch(() => {
      throw new KvCliError(
        `no member answered: is the cluster running, and are --peers right? (${error.message})`,
      );
    });
  }
}

/**
 * Members' addresses by id: as the member that answered knows them (raftkit-kv members name the
 * founders too), else as this client knows them.
 */
function addressesOf(view: MembersView, endpoints: Endpoints): string[] {
  const byId: string[] = [];
  for (const { id, address } of [...endpoints.list(), ...view.membership.addresses]) byId[id] = address;
  return Array.from(byId, (a) => a ?? "");
}

function describe(command: MemberCommand): string {
  switch (command.action) {
    case "add":
      return command.learner
        ? `member ${command.id} added as a learner at ${command.address}; promote it with raftkit-kv member promote ${command.id}`
        : `member ${command.id} added at ${command.address}; it becomes a voter once it has caught up`;
    case "promote":
      return `member ${command.id} is a voter`;
    case "remove":
      return `member ${command.id} removed; it stops itself`;
    default:
      return "";
  }
}
