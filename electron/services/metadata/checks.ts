// The checks a new policy passes before it enters the ledger (policies.md §1), with EdgeLake's codes, and the
// attributes the node adds (operator `member`, cluster `status`). A refused policy leaves the ledger unchanged.
import { isIP } from 'node:net';
import { pyJsonDumps } from '../command/format/pyjson.js';
import { CommandError, Status } from '../core/status.js';
import { bodyOf, typeOf, type Policy, type PolicyBody } from './ledger.js';
import { PyFloat, toPlain, type PyValue } from './policy-id.js';


const isInt = (v: PyValue | undefined) => typeof v === 'number' && Number.isInteger(v);
const lower = (v: PyValue | undefined) => (typeof v === 'string' ? v.toLowerCase() : v);

function refuse(code: number, type: string, text: string, why: string): CommandError {
  return new CommandError(code, `New Policy '${type}' Structure Error: ${text}: ${why}`);
}

/** The policies that describe a node: other nodes connect to their `ip`/`port` (`bring.ip_port`, sync, queries). */
const NODE_TYPES = new Set(['master', 'operator', 'query', 'publisher']);
const PORT_KEYS = ['port', 'rest_port', 'broker_port'];
const ADDRESS_KEYS = ['ip', 'internal_ip', 'local_ip'];
// RFC 1123 labels, and `_`, which container names such as `edgelake_master` use and resolvers take.
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;

/** A value as the reason quotes it: text as it is, anything else as JSON (`true`, `32053.5`, `["a"]`). */
const shown = (v: PyValue): string => (typeof v === 'string' ? v : pyJsonDumps(toPlain(v)));

/**
 * What is wrong with the address attributes of a node policy, or undefined. EdgeLake checks less
 * (policies.py operator_attr / test_key_val): only an operator's `port` must be an `int` — and Python's
 * isinstance(True, int) lets `true` through, `99999` and `-5` pass, `rest_port` and the `ip` text are never looked
 * at, and master/query/publisher policies are not checked at all. A policy with such values breaks every node that
 * connects to it, so here, for every node type: ports are integers 1-65535 (not booleans, not floats); `ip`,
 * `internal_ip` and `local_ip` are an IPv4/IPv6 address or a host name (`999.1.1.1` is neither); `name` and
 * `company`, when given, are non-empty text.
 */
function nodeAddressProblem(body: PolicyBody): string | undefined {
  for (const key of PORT_KEYS) {
    const v = body[key];
    if (v === undefined) continue;
    if (typeof v === 'string') return `${key} '${v}' is text, not an integer port`;
    if (typeof v !== 'number' || !Number.isInteger(v)) return `${key} '${shown(v)}' is not an integer port`;
    if (v < 1 || v > 65535) return `${key} '${v}' is outside 1-65535`;
  }
  for (const key of ADDRESS_KEYS) {
    const v = body[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') return `${key} '${shown(v)}' is not text (an IP address or host name)`;
    if (isIP(v) === 0 && (/^[\d.]+$/.test(v) || !HOSTNAME.test(v))) return `${key} '${v}' is not an IP address or host name`;
  }
  for (const key of ['name', 'company']) {
    const v = body[key];
    if (v !== undefined && (typeof v !== 'string' || !v.trim())) return `${key} '${shown(v)}' is not a non-empty text`;
  }
  return undefined;
}

/** Member ids in use in a cluster; a new operator gets a random free one (1-255), as EdgeLake draws them. */
export function drawMember(ledger: readonly Policy[], cluster: string, random: () => number = Math.random): number {
  const used = new Set(ledger.filter((p) => typeOf(p) === 'operator' && bodyOf(p).cluster === cluster).map((p) => bodyOf(p).member));
  if (used.size >= 255) throw new CommandError(Status.WRONG_POLICY_STRUCTURE, `cluster ${cluster} has no free member id (255 operators)`);
  for (;;) {
    const n = 1 + Math.floor(random() * 255);
    if (!used.has(n)) return n;
  }
}

/**
 * Checks a policy (with its id and date) against the ledger and returns it with the attributes the node adds.
 * Throws a CommandError naming the problem; nothing is changed then.
 */
export function checkPolicy(policy: Policy, ledger: readonly Policy[], random?: () => number): Policy {
  const type = typeOf(policy);
  const body: PolicyBody = { ...bodyOf(policy) };
  const others = ledger.filter((p) => typeOf(p) === type).map(bodyOf);
  const wrong = (why: string) => refuse(Status.WRONG_POLICY_STRUCTURE, type, 'Wrong policy structure', why);

  if (NODE_TYPES.has(type)) {
    const problem = nodeAddressProblem(body);
    if (problem) throw wrong(problem);
  }

  if (type === 'operator') {
    if (typeof body.cluster === 'string' && body.member === undefined) body.member = drawMember(ledger, body.cluster, random);
    if (typeof body.cluster !== 'string' || !body.cluster) throw wrong("an operator names its cluster ('cluster': <cluster id>)");
    for (const key of ['company', 'name', 'ip'] as const) if (typeof body[key] !== 'string') throw wrong(`'${key}' must be a string`);
    if (!isInt(body.port)) throw wrong(`'port' must be an integer (found ${JSON.stringify(body.port instanceof PyFloat ? body.port.value : body.port)})`);
    if (body.member !== undefined && !isInt(body.member)) throw wrong("'member' must be an integer");
    if (body.main !== undefined && typeof body.main !== 'boolean') throw wrong("'main' must be true or false");
    const cluster = ledger.find((p) => typeOf(p) === 'cluster' && bodyOf(p).id === body.cluster);
    if (!cluster) throw wrong(`cluster '${body.cluster}' is not in the ledger`);
    const sameAddress = others.find((o) => o.id !== body.id && o.ip === body.ip && o.port === body.port);
    if (sameAddress) throw refuse(Status.IP_PORT_NOT_UNIQUE, type, 'None unique IP:Port in policy', `${String(body.ip)}:${String(body.port)} is already operator '${String(sameAddress.name)}'`);
    const sameName = others.find((o) => o.id !== body.id && lower(o.company) === lower(body.company) && lower(o.name) === lower(body.name));
    if (sameName) throw refuse(Status.NON_UNIQUE_POLICY_VALUES, type, 'Non unique policy values', `company '${String(body.company)}' already has an operator named '${String(body.name)}'`);
    const sameMember = others.find((o) => o.id !== body.id && o.cluster === body.cluster && o.member === body.member);
    if (sameMember) throw refuse(Status.NON_UNIQUE_POLICY_VALUES, type, 'Non unique policy values', `member ${String(body.member)} is already operator '${String(sameMember.name)}' of cluster ${body.cluster}`);
  } else if (type === 'cluster') {
    for (const key of ['company', 'name'] as const) if (typeof body[key] !== 'string' || !body[key]) throw wrong(`a cluster has a '${key}'`);
    if (body.parent !== undefined) {
      const parent = ledger.find((p) => typeOf(p) === 'cluster' && bodyOf(p).id === body.parent);
      if (!parent) throw wrong(`parent cluster '${String(body.parent)}' is not in the ledger`);
      if (lower(bodyOf(parent).name) !== lower(body.name) || lower(bodyOf(parent).company) !== lower(body.company)) throw wrong('a child cluster has the name and company of its parent');
    } else {
      const same = others.find((o) => o.id !== body.id && o.parent === undefined && lower(o.name) === lower(body.name));
      if (same) throw refuse(Status.NON_UNIQUE_POLICY_VALUES, type, 'Non unique policy values', `a cluster named '${String(body.name)}' exists (id ${String(same.id)})`);
    }
    if (body.table !== undefined) {
      if (!Array.isArray(body.table)) throw wrong("'table' is a list of {\"dbms\", \"name\"}");
      const seen = new Set<string>();
      body.table = body.table.map((t) => {
        if (!t || typeof t !== 'object' || Array.isArray(t) || t instanceof PyFloat || typeof t.dbms !== 'string' || typeof t.name !== 'string') throw wrong('each table entry has a dbms and a name');
        const key = `${t.dbms}.${t.name}`;
        if (seen.has(key)) throw wrong(`table ${key} is listed twice`);
        seen.add(key);
        return t.status === undefined ? { ...t, status: 'active' } : t;
      });
    }
    if (body.status === undefined) body.status = 'active';
  } else if (type === 'table') {
    for (const key of ['name', 'dbms', 'create'] as const) if (typeof body[key] !== 'string' || !body[key]) throw wrong(`a table policy has '${key}' (text)`);
    const same = others.find((o) => o.id !== body.id && lower(o.dbms) === lower(body.dbms) && lower(o.name) === lower(body.name));
    if (same) throw refuse(Status.NON_UNIQUE_POLICY_VALUES, type, 'Non unique policy values', `table ${String(body.dbms)}.${String(body.name)} is already declared (id ${String(same.id)})`);
  }
  return { [type]: body };
}
