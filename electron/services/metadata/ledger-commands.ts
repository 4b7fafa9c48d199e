// The ledger's commands (policies.md §4-5): blockchain prepare/insert/add/push/drop/get/read/delete/test/load, from.
import { pyJsonDumps } from '../command/format/pyjson.js';
import type { CommandResult, CommandSpec } from '../command/types.js';
import { CommandError, Status } from '../core/status.js';
import type { MetadataHost } from './host.js';
import { bodyOf, typeOf, type Policy, type PolicyBody } from './ledger.js';
import { parsePyJson, PyFloat, toPlain, withIdAndDate, type PyValue } from './policy-id.js';
import { bring, parseBring, selectPolicies } from './query.js';
import { substituteJson } from './words.js';

const text = (t: string): CommandResult => ({ code: 0, output: { kind: 'text', text: t } });
const fail = (code: number, detail: string) => new CommandError(code, detail);

export function ledgerCommands(host: MetadataHost): CommandSpec[] {
  const dictionary = host.dictionary;
  const getOrRead = (key: 'blockchain get' | 'blockchain read'): CommandSpec => ({
    key,
    usage: `${key} [policy type] [where [attribute name value pairs]] [bring.[modifier] [keys]]`,
    help: "Policies of a type ('*' all, '(a, b)' several), filtered by 'where key = value and ...' or a condition on [keys], and values pulled with 'bring' (first, recent, unique, json, table, count, ip_port, min, max).",
    raw: true,
    run: async (_ctx, inv) => {
      const tokens = inv.tokens;
      const selector = tokens[0];
      if (!selector) throw fail(Status.COMMAND_STRUCT, `${key}: name a policy type, '*' or '(type1, type2)'`);
      const bringAt = tokens.findIndex((t) => !t.quoted && /^bring(\.|$)/.test(t.text));
      const whereTokens = tokens.slice(1, bringAt < 0 ? undefined : bringAt);
      if (whereTokens.length > 0 && whereTokens[0]!.text !== 'where') throw fail(Status.COMMAND_STRUCT, `${key}: expected 'where' or 'bring' after '${selector.text}', found '${whereTokens[0]!.text}' at position ${whereTokens[0]!.pos}`);
      if (key === 'blockchain read') await host.ledger.load();
      const all = await host.ledger.all();
      const selected = selectPolicies(all, selector.quoted ? selector.text : (dictionary.resolve(selector.text) ?? selector.text), whereTokens.slice(1), dictionary);
      if (bringAt < 0) return { code: 0, output: { kind: 'json', value: selected.map((p) => toPlain(p as unknown as PyValue)) } };
      const out = bring(selected, parseBring(tokens.slice(bringAt)), all, dictionary);
      return 'json' in out ? { code: 0, output: { kind: 'json', value: out.json } } : text(out.text);
    },
  });
  return [
    getOrRead('blockchain get'),
    getOrRead('blockchain read'),
    {
      key: 'blockchain prepare policy',
      usage: 'blockchain prepare policy [policy]',
      help: 'Adds the id and date to the policy held in a variable (as EdgeLake computes them).',
      raw: true,
      run: (_ctx, inv) => {
        const name = inv.tokens[0]?.text;
        if (!name?.startsWith('!') || inv.tokens.length !== 1) throw fail(Status.COMMAND_STRUCT, 'usage: blockchain prepare policy !<variable>');
        const prepared = withIdAndDate(host.policyFrom(name), host.now());
        dictionary.set(name.slice(1), pyJsonDumps(prepared));
        return { code: 0 };
      },
    },
    {
      key: 'blockchain insert',
      usage: 'blockchain insert where policy = [policy] and local = [true/false] and master = [IP:Port] and blockchain = [platform]',
      help: 'Adds a policy to the local ledger (after its checks) and sends it to the master.',
      maxArgs: 0,
      where: { policy: { type: 'str', required: true }, local: { type: 'bool' }, master: { type: 'ip.port', repeat: true }, blockchain: { type: 'str', repeat: true } },
      run: async (_ctx, inv) => {
        const o = inv.options as { policy: string; local?: boolean; master?: string[]; blockchain?: string[] };
        if (o.local === undefined && !o.master?.length && !o.blockchain?.length) {
          throw fail(Status.COMMAND_STRUCT, 'Missing ledger location information: add local = true and/or master = ip:port');
        }
        const policy = host.policyFrom(o.policy);
        const stored = o.local === false ? await host.prepareInsert(policy) : await host.insert(policy);
        // Then `blockchain push {policy with "ledger": "global"}` to each master (peer-protocol.md §6.7); the
        // master answers only when it refuses. A master that cannot be reached is a warning once the local ledger
        // has the policy (EdgeLake's rule), an error when it was the only destination.
        const problems: string[] = [];
        for (const master of o.master ?? []) {
          const global = { [typeOf(stored)]: { ...bodyOf(stored), ledger: 'global' } };
          try {
            if (!host.sendToPeer) throw new Error('this node has no peer service');
            await host.sendToPeer(master, `blockchain push ${pyJsonDumps(global)}`);
          } catch (err) {
            problems.push(`not sent to master ${master}: ${(err as Error).message}`);
          }
        }
        if (problems.length > 0 && o.local === false) throw fail(Status.NETWORK_CONNECTION_FAILED, problems.join('; '));
        // The policy is in; lines of the file that are not policies are said every time (EdgeLake stops reading
        // the file at such a line without a word).
        const unread = host.ledgerIssuesText();
        if (unread) problems.push(unread);
        return problems.length > 0 ? text(`Policy ${String(bodyOf(stored).id)} is in the local ledger; ${problems.join('; ')}`) : { code: 0 };
      },
    },
    {
      key: 'blockchain add',
      usage: 'blockchain add [policy]',
      help: 'Appends a policy to the local ledger file (no checks, no master).',
      raw: true,
      run: async (_ctx, inv) => {
        const policy = withIdAndDate(host.policyFrom(inv.tokens.map((t) => t.text).join(' ')), host.now());
        if ((await host.ledger.all()).some((p) => bodyOf(p).id === bodyOf(policy).id)) throw fail(Status.DUPLICATE_OBJECT_ID, `Duplicate blockchain object id: ${String(bodyOf(policy).id)}`);
        await host.ledger.append(policy);
        return { code: 0 };
      },
    },
    {
      key: 'blockchain push',
      usage: 'blockchain push [policy]',
      help: "Master side: stores a policy a node sends (run client) in the master's ledger table.",
      raw: true,
      run: async (_ctx, inv) => {
        const table = await host.ledgerTable();
        if (!table) throw fail(Status.BLOCKCHAIN_OPERATION_FAILED, "This node keeps no ledger table: connect dbms blockchain and create table ledger where dbms = blockchain");
        // `push ignore`: a duplicate is not an error (a node re-pushing its local policies after a merge).
        const ignore = inv.tokens[0]?.text === 'ignore';
        const policy = withIdAndDate(host.policyFrom(inv.tokens.slice(ignore ? 1 : 0).map((t) => t.text).join(' ')), host.now());
        if (!(await host.tableInsert(policy, 'local')) && !ignore) throw fail(Status.DUPLICATE_OBJECT_ID, `Duplicate blockchain object id: ${String(bodyOf(policy).id)}`);
        return { code: 0 };
      },
    },
    {
      key: 'blockchain drop policy',
      usage: 'blockchain drop policy where id = [policy id]',
      help: "Master side: removes a policy from the master's ledger table.",
      maxArgs: 0,
      where: { id: { type: 'str', required: true } },
      run: async (_ctx, inv) => {
        const table = await host.ledgerTable();
        if (!table) throw fail(Status.DBMS_NOT_OPENED, 'This node keeps no ledger table (create table ledger where dbms = blockchain)');
        if ((await table.run('delete from ledger where policy_id = ?', [String(inv.options.id)])) === 0) throw fail(Status.POLICY_NOT_AVAILABLE, `No policy with id '${String(inv.options.id)}' in blockchain.ledger`);
        return { code: 0 };
      },
    },
    {
      key: 'from',
      usage: 'from [JSON object or list] bring [keys]',
      help: 'Pulls values out of a JSON object or list of objects held in a variable: from !p bring [t][name] ":" [t][v]',
      raw: true,
      run: (_ctx, inv) => {
        const [source, ...rest] = inv.tokens;
        if (!source || !rest[0] || !/^bring(\.|$)/.test(rest[0].text)) throw fail(Status.COMMAND_STRUCT, 'usage: from !<variable> bring[.modifier] [key][key] ...');
        const raw = source.text.startsWith('!') ? dictionary.resolve(source.text) : source.text;
        let value: PyValue;
        try {
          value = parsePyJson(substituteJson(raw ?? '', dictionary));
        } catch (err) {
          throw fail(Status.WRONG_JSON, `from ${source.text}: not JSON (${(err as Error).message})`);
        }
        const list = (Array.isArray(value) ? value : [value]).filter((v): v is PolicyBody => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PyFloat)) as Policy[];
        const out = bring(list, parseBring(rest), list, dictionary);
        return 'json' in out ? { code: 0, output: { kind: 'json', value: out.json } } : text(out.text);
      },
    },
    {
      key: 'blockchain delete policy',
      usage: 'blockchain delete policy where id = [policy id] and local = [true/false] and master = [IP:Port]',
      help: 'Removes a policy from the local ledger.',
      maxArgs: 0,
      where: { id: { type: 'str', required: true }, local: { type: 'bool' }, master: { type: 'ip.port', repeat: true }, blockchain: { type: 'str', repeat: true } },
      run: async (_ctx, inv) => {
        const id = String(inv.options.id);
        if (inv.options.local !== false) await host.remove(id);
        const problems: string[] = [];
        for (const master of (inv.options.master as string[] | undefined) ?? []) {
          await host.sendToPeer?.(master, `blockchain drop policy where id = ${id}`).catch((err: Error) => problems.push(`not sent to master ${master}: ${err.message}`));
        }
        return problems.length > 0 ? text(problems.join('; ')) : { code: 0 };
      },
    },
    {
      key: 'blockchain test',
      usage: 'blockchain test',
      help: 'Checks that the ledger file reads as policies.',
      keyOnly: true,
      run: async () => {
        await host.ledger.load();
        const issues = host.ledgerIssuesText();
        if (!issues) return text('Blockchain file status: OK');
        throw fail(Status.WRONG_POLICY_STRUCTURE, `Blockchain file status: ${issues}`);
      },
    },
    ...(['blockchain load metadata', 'blockchain reload metadata'] as const).map(
      (key): CommandSpec => ({
        key,
        usage: key,
        help: 'Re-reads the ledger file into memory.',
        keyOnly: true,
        run: async () => {
          await host.ledger.load();
          return { code: 0 };
        },
      }),
    ),
  ];
}
