// The Policies, Cluster Editor and Topology panels' handlers: the ledger through the metadata service.
import type { PolicyList, TopologyCluster } from '../../../shared/types.js';
import { bodyOf, typeOf } from '../metadata/ledger.js';
import { toPlain, type PyValue } from '../metadata/policy-id.js';
import { valueText } from '../metadata/query.js';
import { policyEntry } from '../metadata/service.js';
import type { EdgeNode } from '../node.js';

export async function listPolicies(node: EdgeNode): Promise<PolicyList> {
  const policies = await node.metadata.ledger.all();
  return { policies: policies.map(policyEntry), problems: node.metadata.ledger.issues() };
}

export async function deletePolicy(node: EdgeNode, id: string): Promise<{ deleted: string }> {
  await node.metadata.remove(id);
  return { deleted: id };
}

export async function topology(node: EdgeNode): Promise<TopologyCluster[]> {
  const me = node.operator.membership();
  const myPolicy = node.operator.policyId();
  const all = await node.metadata.ledger.all();
  return (await node.metadata.topology()).map(({ cluster, operators, tables }) => {
    const clusterPolicy = all.find((p) => typeOf(p) === 'cluster' && bodyOf(p).id === cluster.id)!;
    return {
      id: valueText(cluster.id),
      name: valueText(cluster.name),
      company: valueText(cluster.company),
      status: valueText(cluster.status ?? 'active'),
      policy: toPlain(clusterPolicy as unknown as PyValue) as TopologyCluster['policy'],
      tables,
      operators: operators.map((op) => ({
        id: valueText(op.id),
        name: valueText(op.name),
        ip: valueText(op.ip),
        port: typeof op.port === 'number' ? op.port : valueText(op.port),
        member: typeof op.member === 'number' ? op.member : valueText(op.member),
        status: me && myPolicy === op.id ? 'this node' : 'unknown',
        policy: { operator: toPlain(op) as Record<string, unknown> },
      })),
    };
  });
}
