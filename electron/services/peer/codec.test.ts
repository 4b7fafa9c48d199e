// The codec against every byte vector captured from a real EdgeLake node (../shared/spec/vectors): each block
// decodes to the fields, command, data and segments recorded beside it, and encodes back to the same defined
// bytes; segment packing reproduces the real node's multi-block query replies.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SPEC_DIR } from '../testing/transcripts.js';
import { BLOCK_SIZE, CodecError, decodeBlock, decodeSegments, encodeBlock, HEADER_SIZE, OFFSET, PAYLOAD_CAPACITY, packSegments, requestHeader, usedLength } from './codec.js';

const DIR = join(SPEC_DIR, 'vectors');

interface VectorBlock {
  used_length: number;
  header: Record<string, number | string>;
  command?: string;
  data?: { text: string };
  segments?: { status: number; text: string }[];
}

const vectors = readdirSync(DIR)
  .filter((f) => f.endsWith('.hex'))
  .map((f) => {
    const name = f.slice(0, -4);
    const bytes = Buffer.from(readFileSync(join(DIR, f), 'utf8').replace(/\s+/g, ''), 'hex');
    const json = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as { blocks: VectorBlock[] };
    return { name, bytes, blocks: json.blocks };
  });

const FIELD: Record<string, (h: ReturnType<typeof decodeBlock>['header']) => number | string> = {
  socket_id: (h) => h.socketId,
  socket_counter: (h) => h.socketCounter,
  block_counter: (h) => h.blockCounter,
  block_struct: (h) => h.dataStruct,
  flag_last: (h) => (h.last ? 1 : 0),
  info_type: (h) => h.infoType,
  error: (h) => h.error,
  counter_jsons: (h) => h.segmentCount,
  reply_flag: (h) => h.replyFlag,
  job_location: (h) => h.jobLocation,
  job_id: (h) => h.jobId,
  counter_receivers: (h) => h.receivers,
  receiver_id: (h) => h.receiverId,
  par_used: (h) => h.partitionsUsed,
  par_id: (h) => h.partitionId,
  dbms_time: (h) => h.dbmsTime,
  send_time: (h) => h.sendTime,
  ip: (h) => h.ip,
  port: (h) => h.port,
  generic_flag: (h) => h.genericFlag,
};

test('there are vectors to check', () => {
  assert.ok(vectors.length >= 80, `${vectors.length} vectors`);
});

test('every captured block decodes to what was recorded: header fields, command, data, segments', () => {
  let blocks = 0;
  for (const v of vectors) {
    if (v.bytes.length % BLOCK_SIZE !== 0) {
      assert.throws(() => decodeBlock(v.bytes), CodecError, `${v.name}: a short block is refused`);
      continue;
    }
    assert.equal(v.bytes.length / BLOCK_SIZE, v.blocks.length, v.name);
    v.blocks.forEach((expected, i) => {
      const raw = v.bytes.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE);
      const block = decodeBlock(raw);
      const where = `${v.name} block ${i + 1}`;
      for (const [key, read] of Object.entries(FIELD)) assert.equal(read(block.header), expected.header[key], `${where}: ${key}`);
      assert.equal(usedLength(raw), expected.used_length, `${where}: used length`);
      assert.equal(block.command, expected.command ?? '', `${where}: command`);
      if (expected.segments) assert.deepEqual(decodeSegments(block.data), expected.segments.map((s) => ({ status: s.status, text: s.text })), `${where}: segments`);
      else assert.equal(block.data.toString('utf8'), expected.data?.text ?? '', `${where}: data`);
      blocks++;
    });
  }
  assert.ok(blocks >= 90, `${blocks} blocks checked`);
});

test('every captured block encodes back to the same defined bytes (the stale tail and IP padding excepted)', () => {
  for (const v of vectors.filter((x) => x.bytes.length % BLOCK_SIZE === 0)) {
    for (let i = 0; i < v.bytes.length / BLOCK_SIZE; i++) {
      const raw = v.bytes.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE);
      const block = decodeBlock(raw);
      const ours = encodeBlock(block.header, block.command, block.data, block.auth);
      const used = usedLength(raw);
      const ipEnd = OFFSET.ip + raw[OFFSET.ipLength]!;
      // Bytes 0..ip end, then port..end of the used region: everything the sender defines.
      assert.ok(ours.subarray(16, ipEnd).equals(raw.subarray(16, ipEnd)), `${v.name} block ${i + 1}: header`);
      assert.ok(ours.subarray(OFFSET.port, used).equals(raw.subarray(OFFSET.port, used)), `${v.name} block ${i + 1}: port, flags and payload`);
      assert.ok(ours.subarray(used).every((x) => x === 0), 'our tail is zero-filled');
    }
  }
});

test('packing rows into result blocks reproduces the real node: 30 rows in 3 blocks, a row spanning 3 blocks', () => {
  for (const name of ['sql-select-30rows.reply-3blocks', 'sql-row-spanning-3-blocks.reply-3blocks']) {
    const v = vectors.find((x) => x.name === name)!;
    const blocks = v.blocks.map((_, i) => decodeBlock(v.bytes.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE)));
    // Reassemble the rows the node sent, then pack them again with the same capacity.
    const rows: string[] = [];
    let pending = '';
    for (const b of blocks) {
      for (const s of decodeSegments(b.data)) {
        pending += s.text;
        if (s.status !== 1) {
          rows.push(pending);
          pending = '';
        }
      }
    }
    const capacity = PAYLOAD_CAPACITY - Buffer.byteLength(blocks[0]!.command);
    const packed = packSegments(rows, capacity);
    assert.equal(packed.length, blocks.length, name);
    packed.forEach((p, i) => {
      assert.ok(p.data.equals(blocks[i]!.data), `${name} block ${i + 1} data`);
      assert.equal(p.count, blocks[i]!.header.segmentCount, `${name} block ${i + 1} segment count`);
    });
  }
});

test('malformed blocks are refused with the field named; a request header is what the real node accepted', () => {
  const good = encodeBlock(requestHeader({ ip: '127.0.0.1', port: 32048 }), 'get status');
  const bad = Buffer.from(good);
  bad.writeUInt32BE(5000, OFFSET.payloadLength);
  assert.throws(() => decodeBlock(bad), /payload length 5000 points past the block/);
  const badIp = Buffer.from(good);
  badIp[OFFSET.ipLength] = 200;
  assert.throws(() => decodeBlock(badIp), /source IP length 200/);
  const badCmd = Buffer.from(good);
  badCmd.writeUInt16BE(900, OFFSET.commandLength);
  assert.throws(() => decodeBlock(badCmd), /command length 900/);
  assert.throws(() => encodeBlock(requestHeader({ ip: '127.0.0.1', port: 1 }), 'x'.repeat(PAYLOAD_CAPACITY + 1)), /a block carries 1841/);
  const crafted = vectors.find((x) => x.name === 'crafted-get-status.request')!;
  const theirs = decodeBlock(crafted.bytes);
  const ours = encodeBlock(requestHeader({ ip: theirs.header.ip, port: theirs.header.port }), theirs.command);
  assert.ok(ours.subarray(0, HEADER_SIZE + Buffer.byteLength(theirs.command)).equals(crafted.bytes.subarray(0, HEADER_SIZE + Buffer.byteLength(theirs.command))));
});
