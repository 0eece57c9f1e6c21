import type { TLSSocket } from "node:tls";

/**
 * Who a certificate says its holder is. A member's certificate carries the SAN URI
 * `raftkit://<cluster>/member/<id>`, a client's `raftkit://<cluster>/client/<name>`: the role
 * lives in the certificate (one CA for the whole cluster, as SPIFFE ids do), so a client's
 * certificate can never pass for a member's, whatever the handshake claims.
 */
export type Identity = { role: "member"; id: number } | { role: "client"; name: string };

/** The SAN URI naming member `id` of `cluster`, to put in its certificate. */
export function memberUri(cluster: string, id: number): string {
  return `raftkit://${encodeURIComponent(cluster)}/member/${id}`;
}

/** The SAN URI naming client `name` of `cluster`, to put in its certificate. */
export function clientUri(cluster: string, name: string): string {
  return `raftkit://${encodeURIComponent(cluster)}/client/${encodeURIComponent(name)}`;
}

/**
 * The raftkit identities for `cluster` in a `subjectaltname` string as Node reports it
 * ("URI:raftkit://demo/member/0, DNS:localhost"). URIs for other clusters are ignored.
 */
export function identitiesIn(subjectAltName: string | undefined, cluster: string): Identity[] {
  if (!subjectAltName) return [];
  const prefix = `raftkit://${encodeURIComponent(cluster)}/`;
  const found: Identity[] = [];
  for (const entry of subjectAltName.split(", ")) {
    if (!entry.startsWith(`URI:${prefix}`)) continue;
    const rest = entry.slice(4 + prefix.length);
    const member = /^member\/(0|[1-9]\d{0,8})$/.exec(rest);
    const client = /^client\/([^/]{1,200})$/.exec(rest);
    if (member) found.push({ role: "member", id: Number(member[1]) });
    else if (client) found.push({ role: "client", name: decodeURIComponent(client[1]!) });
  }
  return found;
}

const VERIFY_ERRORS: Record<string, string> = {
  CERT_HAS_EXPIRED: "certificate has expired",
  CERT_NOT_YET_VALID: "certificate is not valid yet",
  CERT_REVOKED: "certificate has been revoked",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificate is not signed by our CA",
  UNABLE_TO_GET_ISSUER_CERT: "certificate is not signed by our CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "certificate is not signed by our CA",
  SELF_SIGNED_CERT_IN_CHAIN: "certificate is not signed by our CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "certificate is self-signed, not signed by our CA",
};

/**
 * Why the certificate the other end of `socket` presented fails verification against our CA
 * (expired, revoked, another CA, none at all), or undefined when it passes. Both ends accept the
 * TLS handshake and decide here, so that the refusal can be told to the other side and logged
 * there too, instead of a bare hang-up.
 */
export function certificateRefusal(socket: TLSSocket, whose: "caller" | "member"): string | undefined {
  if (socket.authorized) return undefined;
  const presented = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
  if (!presented) return `the ${whose} presented no certificate`;
  const code = String(socket.authorizationError);
  return `the ${whose}'s ${VERIFY_ERRORS[code] ?? "certificate failed verification"} (${code})`;
}

/** The identities in the certificate the other end of `socket` presented (none without TLS). */
export function peerIdentities(socket: TLSSocket, cluster: string): Identity[] {
  const cert = socket.getPeerCertificate();
  return identitiesIn(cert?.subjectaltname, cluster);
}

/** A short description of a certificate's identities, for log lines and refusals. */
export function describeIdentities(identities: readonly Identity[], cluster: string): string {
  if (identities.length === 0) return `a certificate naming no raftkit identity for cluster "${cluster}"`;
  const names = identities.map((i) => (i.role === "member" ? `member ${i.id}` : `client "${i.name}"`));
  return `a certificate for ${names.join(" and ")}`;
}

/** Member claims look like member ids ("0", "1", ...); anything else claims to be a client. */
export function claimedMember(from: string): number | undefined {
  return /^(0|[1-9]\d{0,8})$/.test(from) ? Number(from) : undefined;
}

/**
 * Why a hello claiming to be `from` must be refused given the certificate's identities, or
 * undefined when the certificate backs the claim. A member claim needs that member's URI; a
 * client claim needs any identity of the cluster (a member may call as a client).
 */
export function claimRefusal(
  from: string,
  identities: readonly Identity[],
  cluster: string,
): string | undefined {
  const member = claimedMember(from);
  const described = describeIdentities(identities, cluster);
  if (identities.length === 0) {
    const base = `raftkit://${encodeURIComponent(cluster)}`;
    return `the caller presented ${described} (expected a SAN URI ${base}/member/<id> or ${base}/client/<name>)`;
  }
  if (member === undefined) return undefined;
  if (identities.some((i) => i.role === "member" && i.id === member)) return undefined;
  return `the caller claims to be member ${member} but presented ${described}`;
}
