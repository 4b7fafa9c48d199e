// `config from policy where id = ..` (EdgeLake member_cmd.py config_from_policy, config_servers,
// process_commands_list): the way every EdgeLake deployment script brings its node up. The `config` policy's
// fields start the TCP server (ip, port, local_ip, local_port, tcp_bind, tcp_threads), the REST server (rest_ip,
// rest_port, rest_bind, rest_threads) and the message broker (broker_ip, broker_port), each value read as EdgeLake's
// get_value_if_available reads it ('!x', '!x.int', '!x.bool' resolved now); a server already running on the same
// address is left alone, one on another address is restarted. Then the policy's `script` list runs, line by line,
// stopping at the first failure. `get config policies` lists the policies applied and their outcome.
import type { Dictionary } from '../command/dictionary.js';
import { tableResult } from '../command/results.js';
import { typedValue } from '../command/typed-value.js';
import type { NodeService } from '../command/service.js';
import type { CommandResult, CommandSpec, CommandSource } from '../command/types.js';
import { CommandError, Status, statusText } from '../core/status.js';

export interface ConfigPolicyDeps {
  dictionary: Dictionary;
  /** The policies `blockchain get * where <conditions>` returns (plain JSON). */
  policies(where: string): Promise<Record<string, unknown>[]>;
  /** Runs a command line (the servers' start commands, the script's lines). */
  execute(text: string, source: CommandSource): Promise<CommandResult>;
  /** `ip:port` the TCP server listens on now, if it runs. */
  tcpAddress(): string | undefined;
  /** `ip:port` the REST server listens on now, if it runs. */
  restAddress(): string | undefined;
  /** Text the node prints (EdgeLake's green and red boxes). */
  print(text: string): void;
}

/** EdgeLake's utils_print.output_box. */
export function box(text: string): string {
  const line = `|${'='.repeat(text.length)}|`;
  return `\r\n${line}\r\n|${text}|\r\n${line}\r\n`;
}

export class ConfigPolicies implements NodeService {
  readonly name = 'config policies';
  private readonly applied = new Map<string, { name: string; code: number }>();

  constructor(private readonly deps: ConfigPolicyDeps) {}

  async stop(): Promise<void> {}

  /** A policy value as EdgeLake reads it: a `!x[.int|.bool]` or `$X` reference resolved, anything else as it is. */
  private value(v: unknown): unknown {
    if (typeof v !== 'string' || v === '') return v ?? '';
    return typedValue(v, this.deps.dictionary);
  }

  private port(v: unknown, what: string): number {
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CommandError(Status.WRONG_PORT_VALUE, `The ${what} value '${String(v)}' is not a port (1-65535)`);
    return n;
  }

  private bool(v: unknown): boolean {
    return v === true || v === 'true' || v === 'True';
  }

  private async run(command: string): Promise<void> {
    const result = await this.deps.execute(command, 'script');
    if (result.code !== 0) throw new CommandError(result.code, `${command}: ${result.detail ?? statusText(result.code)}`);
  }

  /** config_servers: TCP, REST and broker from the policy's fields. */
  private async servers(p: Record<string, unknown>, id: string): Promise<void> {
    const ip = String(this.value(p.ip) ?? '');
    const port = this.value(p.port);
    const localIp = String(this.value(p.local_ip) ?? '');
    const localPort = this.value(p.local_port);
    if ((ip && port !== '' && port !== undefined) || (localIp && localPort !== '' && localPort !== undefined)) {
      let bind: boolean;
      if (p.tcp_bind !== undefined) bind = this.bool(this.value(p.tcp_bind));
      else bind = ip === '' || localIp === '';
      const mainPort = this.port(port, 'Port');
      const secondPort = localPort !== '' && localPort !== undefined ? this.port(localPort, 'Local Port') : mainPort;
      const internalIp = bind ? localIp || ip : localIp || ip;
      const threads = Number(this.value(p.tcp_threads ?? 6)) || 6;
      const wanted = `${bind ? internalIp : ip}:${bind ? secondPort : mainPort}`;
      const current = this.deps.tcpAddress();
      if (current !== wanted) {
        const verb = current ? 'Reconfigure' : 'Configure';
        if (current) await this.run('exit tcp server');
        await this.run(`run tcp server where external_ip = ${ip || internalIp} and external_port = ${mainPort} and internal_ip = ${internalIp} and internal_port = ${secondPort} and bind = ${bind} and threads = ${threads}`);
        this.deps.print(box(`${verb} TCP Server from policy ${id}`));
      }
    }
    const restPort = this.value(p.rest_port);
    if (restPort !== '' && restPort !== undefined) {
      const restIp = String(this.value(p.rest_ip) ?? '');
      if (!restIp && !ip) throw new CommandError(Status.COMMAND_STRUCT, `Missing IP to configure REST Server using policy ${id}`);
      const address = restIp || ip;
      let bind = Boolean(restIp);
      if (p.rest_bind !== undefined) bind = this.bool(this.value(p.rest_bind));
      const n = this.port(restPort, 'REST Port');
      const threads = Number(this.value(p.rest_threads ?? 8)) || 8;
      const current = this.deps.restAddress();
      if (current !== `${address}:${n}`) {
        const verb = current ? 'Reconfigure' : 'Configure';
        if (current) await this.run('exit rest');
        await this.run(`run rest server where external_ip = ${address} and external_port = ${n} and internal_ip = ${address} and internal_port = ${n} and bind = ${bind} and threads = ${threads}`);
        this.deps.print(box(`${verb} REST Server from policy ${id}`));
      }
    }
    const brokerPort = this.value(p.broker_port);
    if (brokerPort !== '' && brokerPort !== undefined) {
      // The node's MQTT broker is not built yet: say so and go on, so that the TCP and REST servers and the
      // script still bring the node up (EdgeLake would start its broker here).
      this.deps.print(box(`Message Broker from policy ${id} not configured: this node has no message broker yet`));
    }
  }

  /** process_commands_list: each line runs; the first failure stops the list. */
  private async script(list: unknown, id: string): Promise<number> {
    let lines: unknown[];
    if (typeof list === 'string' && list.startsWith('[') && list.endsWith(']')) lines = list.slice(1, -1).split(',');
    else if (Array.isArray(list)) lines = list;
    else throw new CommandError(Status.WRONG_POLICY_STRUCTURE, `Wrong script structure in config policy ${id}`);
    let n = 0;
    for (const entry of lines) {
      if (typeof entry !== 'string') throw new CommandError(Status.WRONG_POLICY_STRUCTURE, `Wrong format of script in policy: ${id}`);
      n++;
      let command = entry.trim();
      if (command.length > 1 && command.startsWith("'") && command.endsWith("'")) command = command.slice(1, -1);
      if (!command) continue;
      const result = await this.deps.execute(command, 'script');
      if (result.code !== 0) {
        this.deps.print(box(`Script from policy ${id} failed at line #${n} -- ${statusText(result.code)}`) + `Command: ${command}\r\n${result.detail ? `${result.detail}\r\n` : ''}`);
        return result.code;
      }
    }
    this.deps.print(box(`Script from policy ${id} processed`));
    return 0;
  }

  async apply(where: string): Promise<CommandResult> {
    const found = await this.deps.policies(where);
    if (found.length === 0) throw new CommandError(Status.POLICY_NOT_AVAILABLE, `No policy where ${where}`);
    if (found.length > 1) throw new CommandError(Status.NON_UNIQUE_POLICY, `${found.length} policies where ${where}: config from policy needs one`);
    const [type] = Object.keys(found[0]!);
    const body = found[0]![type!] as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') throw new CommandError(Status.WRONG_POLICY_STRUCTURE, `The policy where ${where} is not an object`);
    if (typeof body.id !== 'string') throw new CommandError(Status.MISSING_ID_IN_POLICY, `The policy where ${where} has no id`);
    const id = body.id;
    const name = typeof body.name === 'string' ? body.name : '';
    try {
      await this.servers(body, id);
      const code = body.script !== undefined ? await this.script(body.script, id) : 0;
      this.applied.set(id, { name, code });
      return code === 0 ? { code: 0 } : { code, detail: `The script of config policy ${id} failed (see above)` };
    } catch (err) {
      const code = err instanceof CommandError ? err.code : Status.PROCESS_FAILURE;
      this.applied.set(id, { name, code });
      throw err;
    }
  }

  commands(): CommandSpec[] {
    return [
      {
        key: 'config from policy',
        usage: 'config from policy where id = [policy id]',
        help: "Configures the node from a policy: its TCP, REST and broker addresses, then its 'script' list of commands.",
        raw: true,
        run: (_c, inv) => {
          const [where, ...rest] = inv.tokens;
          if (where?.text !== 'where' || rest.length === 0) throw new CommandError(Status.COMMAND_STRUCT, "Missing where condition in 'config from policy' command");
          return this.apply(rest.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' '));
        },
      },
      {
        key: 'get config policies',
        usage: 'get config policies',
        help: 'The config policies applied on this node and their outcome.',
        keyOnly: true,
        run: () => tableResult(['Policy ID', 'Policy_name', 'Error', 'Message'], [...this.applied].map(([id, a]) => [id, a.name, a.code, a.code ? statusText(a.code) : ''])),
      },
    ];
  }
}
