// The face the metadata commands see (ledger-commands.ts, policy-commands.ts): the service implements it.
import type { Dictionary } from '../command/dictionary.js';
import type { DbmsAdapter } from '../dbms/adapter.js';
import type { Ledger, Policy, PolicyBody } from './ledger.js';

/** What the metadata commands need of the service (narrow: these files do not import service.ts). */
export interface MetadataHost {
  readonly dictionary: Dictionary;
  readonly ledger: Ledger;
  /** This node's operator while it runs (get cluster info). */
  operator?(): { cluster: string; member: string } | undefined;
  /** Sends a command to a peer (a master); undefined when the node has no peer layer. */
  sendToPeer?(destination: string, command: string): Promise<void>;
  now(): Date;
  policyFrom(textOrVar: string): Policy;
  prepareInsert(policy: Policy): Promise<Policy>;
  insert(policy: Policy): Promise<Policy>;
  remove(id: string): Promise<void>;
  ledgerIssuesText(): string | undefined;
  ledgerTable(): Promise<DbmsAdapter | undefined>;
  tableInsert(policy: Policy, host: string): Promise<boolean>;
  topology(): Promise<{ cluster: PolicyBody; tables: { dbms: string; name: string }[]; operators: PolicyBody[] }[]>;
}
