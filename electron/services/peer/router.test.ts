// The message router: one owner per kind of message, the longest words win, flags tell `file write`s apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBlock, decodeBlock, requestHeader, type Block } from './codec.js';
import { JobRegistry } from './jobs.js';
import { MessageRouter } from './router.js';

const block = (command: string, genericFlag = 0): Block => decodeBlock(encodeBlock({ ...requestHeader({ ip: '127.0.0.1', port: 1 }), genericFlag }, command));
const none = async () => undefined;

test('two owners claiming the same message is refused at registration, naming both', () => {
  const router = new MessageRouter();
  router.on({ words: 'file write', flag: 2, owner: 'ledger sync' }, none);
  router.on({ words: 'file write', flag: 3, owner: 'large messages' }, none); // another flag: another message
  assert.throws(() => router.on({ words: 'file write', flag: 2, owner: 'ha' }, none), /'file write' \(flag 2\) of ha is already claimed by ledger sync/);
  assert.throws(() => router.on({ words: 'file', owner: 'files' }, none), /already claimed by ledger sync/);
  router.on({ words: 'sql', owner: 'operator queries' }, none);
  assert.throws(() => router.on({ words: 'sql', owner: 'query node' }, none), /of query node is already claimed by operator queries/);
});

test('a message goes to the route whose words and flag match, at a word boundary; a released route frees its claim', () => {
  const router = new MessageRouter();
  router.on({ words: 'event get_blockchain', owner: 'sync' }, none);
  const release = router.on({ words: 'file write', flag: 2, owner: 'sync' }, none);
  router.on({ words: 'sql', owner: 'queries' }, none);
  assert.equal(router.match(block('event get_blockchain x.json abc 0'))?.route.owner, 'sync');
  assert.equal(router.match(block('event\tget_blockchain')), undefined, 'a TAB joins a word: not the same words');
  assert.equal(router.match(block('sql test "select 1"'))?.route.owner, 'queries');
  assert.equal(router.match(block('sqlite stuff')), undefined, 'sqlite is not sql');
  assert.equal(router.match(block('file write a.json', 2))?.route.owner, 'sync');
  assert.equal(router.match(block('file write a.json', 1)), undefined, 'flag 1 is not claimed');
  release();
  assert.equal(router.match(block('file write a.json', 2)), undefined);
  router.on({ words: 'file write', flag: 2, owner: 'ha' }, none);
});

test('the job registry finds a job by slot and id until it finishes; id 0 is no job', () => {
  const jobs = new JobRegistry();
  const got: string[] = [];
  const job = jobs.open(['127.0.0.1:1'], (m) => got.push(m.kind));
  assert.equal(jobs.get(job.slot, job.id), job);
  assert.equal(jobs.get(job.slot, 0), undefined);
  assert.equal(jobs.waiting, 1);
  jobs.get(job.slot, job.id)!.deliver({ kind: 'job-reply', receiverId: 0, partitionId: 0, from: 'x', blocks: [] });
  assert.deepEqual(got, ['job-reply']);
  jobs.finish(job, false);
  assert.equal(jobs.get(job.slot, job.id), undefined);
  const late = jobs.open(['127.0.0.1:1'], () => undefined);
  jobs.finish(late, true);
  assert.equal(jobs.get(late.slot, late.id)?.late, true, 'a late job is kept so that its replies are printed');
  assert.equal(jobs.waiting, 0);
});
