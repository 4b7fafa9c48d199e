// The EdgeLake peer protocol's block codec (peer-protocol.md §1-2, §5): 2048-byte blocks, a 207-byte header of
// big-endian fields, then command | authentication | data. Only `207 + payload length` bytes of a block are
// defined; a decoder never reads past them, an encoder zero-fills the rest. Pure functions: no sockets here.

export const BLOCK_SIZE = 2048;
export const HEADER_SIZE = 207;
/** Command + authentication + data bytes one block carries. */
export const PAYLOAD_CAPACITY = BLOCK_SIZE - HEADER_SIZE;
export const MAX_IP_LENGTH = 128;

/** Offsets of the header fields (EdgeLake's message_header.py names in the comments). */
export const OFFSET = {
  hash: 0, // OFFSET_BLOCK_HASH, 16 bytes
  socketId: 16, // 2
  socketTime: 18, // 8
  socketCounter: 26, // 4
  blockCounter: 30, // 4
  dataStruct: 34, // 1
  last: 35, // 1
  infoType: 36, // 1
  error: 37, // 2
  commandLength: 39, // 2
  authLength: 41, // 2
  payloadLength: 43, // 4
  segmentCount: 47, // 2
  replyFlag: 49, // 1
  jobLocation: 50, // 2
  jobId: 52, // 4
  receivers: 56, // 2
  receiverId: 58, // 2
  partitionsUsed: 60, // 2
  partitionId: 62, // 2
  dbmsTime: 64, // 4
  sendTime: 68, // 4
  ipLength: 72, // 1
  ip: 73, // 128
  port: 201, // 4
  genericFlag: 205, // 2
} as const;

/** Info types (offset 36). */
export const INFO = { notSet: 0, resultSet: 1, tableStruct: 2, command: 4, authenticate: 6 } as const;
/** Data structures (offset 34). */
export const DATA_STRUCT = { text: 0, json: 1, segments: 2 } as const;

export interface BlockHeader {
  socketId: number;
  socketCounter: number;
  blockCounter: number;
  dataStruct: number;
  last: boolean;
  infoType: number;
  error: number;
  segmentCount: number;
  replyFlag: number;
  jobLocation: number;
  jobId: number;
  receivers: number;
  receiverId: number;
  partitionsUsed: number;
  partitionId: number;
  dbmsTime: number;
  sendTime: number;
  /** Where the sender wants replies. */
  ip: string;
  port: number;
  genericFlag: number;
}

export interface Block {
  header: BlockHeader;
  command: string;
  auth: Buffer;
  data: Buffer;
}

export class CodecError extends Error {}

/** The header fields a fresh request carries (peer-protocol.md §2, "Building a header from scratch"). */
export function requestHeader(fields: Partial<BlockHeader> & Pick<BlockHeader, 'ip' | 'port'>): BlockHeader {
  return {
    socketId: 0,
    socketCounter: 0,
    blockCounter: 1,
    dataStruct: DATA_STRUCT.text,
    last: true,
    infoType: INFO.authenticate,
    error: 0,
    segmentCount: 0,
    replyFlag: 0,
    jobLocation: 0,
    jobId: 0,
    receivers: 1,
    receiverId: 0,
    partitionsUsed: 1,
    partitionId: 0,
    dbmsTime: 0,
    sendTime: 0,
    genericFlag: 0,
    ...fields,
  };
}

/** Decodes one 2048-byte block; lengths that point past the block are an error naming the field. */
export function decodeBlock(block: Uint8Array): Block {
  if (block.length !== BLOCK_SIZE) throw new CodecError(`a block is ${BLOCK_SIZE} bytes, got ${block.length}`);
  const b = Buffer.from(block.buffer, block.byteOffset, block.length);
  const commandLength = b.readUInt16BE(OFFSET.commandLength);
  const authLength = b.readUInt16BE(OFFSET.authLength);
  const payloadLength = b.readUInt32BE(OFFSET.payloadLength);
  const ipLength = b[OFFSET.ipLength]!;
  if (ipLength > MAX_IP_LENGTH) throw new CodecError(`source IP length ${ipLength} exceeds ${MAX_IP_LENGTH}`);
  if (HEADER_SIZE + payloadLength > BLOCK_SIZE) throw new CodecError(`payload length ${payloadLength} points past the block (at most ${PAYLOAD_CAPACITY})`);
  if (commandLength + authLength > payloadLength) throw new CodecError(`command length ${commandLength} + authentication length ${authLength} exceed the payload length ${payloadLength}`);
  const payload = b.subarray(HEADER_SIZE, HEADER_SIZE + payloadLength);
  return {
    header: {
      socketId: b.readUInt16BE(OFFSET.socketId),
      socketCounter: b.readUInt32BE(OFFSET.socketCounter),
      blockCounter: b.readUInt32BE(OFFSET.blockCounter),
      dataStruct: b[OFFSET.dataStruct]!,
      last: b[OFFSET.last] === 1,
      infoType: b[OFFSET.infoType]!,
      error: b.readUInt16BE(OFFSET.error),
      segmentCount: b.readUInt16BE(OFFSET.segmentCount),
      replyFlag: b[OFFSET.replyFlag]!,
      jobLocation: b.readUInt16BE(OFFSET.jobLocation),
      jobId: b.readUInt32BE(OFFSET.jobId),
      receivers: b.readUInt16BE(OFFSET.receivers),
      receiverId: b.readUInt16BE(OFFSET.receiverId),
      partitionsUsed: b.readUInt16BE(OFFSET.partitionsUsed),
      partitionId: b.readUInt16BE(OFFSET.partitionId),
      dbmsTime: b.readUInt32BE(OFFSET.dbmsTime),
      sendTime: b.readUInt32BE(OFFSET.sendTime),
      ip: b.toString('utf8', OFFSET.ip, OFFSET.ip + ipLength),
      port: b.readUInt32BE(OFFSET.port),
      genericFlag: b.readUInt16BE(OFFSET.genericFlag),
    },
    command: payload.toString('utf8', 0, commandLength),
    auth: Buffer.from(payload.subarray(commandLength, commandLength + authLength)),
    data: Buffer.from(payload.subarray(commandLength + authLength)),
  };
}

/** Encodes one block (zero-filled past the used region). */
export function encodeBlock(header: BlockHeader, command: string | Buffer, data: Uint8Array = Buffer.alloc(0), auth: Uint8Array = Buffer.alloc(0)): Buffer {
  const cmd = typeof command === 'string' ? Buffer.from(command, 'utf8') : command;
  const ip = Buffer.from(header.ip, 'utf8');
  if (ip.length > MAX_IP_LENGTH) throw new CodecError(`source IP '${header.ip}' is longer than ${MAX_IP_LENGTH} bytes`);
  const payloadLength = cmd.length + auth.length + data.length;
  if (payloadLength > PAYLOAD_CAPACITY) throw new CodecError(`command + authentication + data = ${payloadLength} bytes, a block carries ${PAYLOAD_CAPACITY}`);
  const b = Buffer.alloc(BLOCK_SIZE);
  b.writeUInt16BE(header.socketId, OFFSET.socketId);
  b.writeUInt32BE(header.socketCounter, OFFSET.socketCounter);
  b.writeUInt32BE(header.blockCounter, OFFSET.blockCounter);
  b[OFFSET.dataStruct] = header.dataStruct;
  b[OFFSET.last] = header.last ? 1 : 0;
  b[OFFSET.infoType] = header.infoType;
  b.writeUInt16BE(header.error, OFFSET.error);
  b.writeUInt16BE(cmd.length, OFFSET.commandLength);
  b.writeUInt16BE(auth.length, OFFSET.authLength);
  b.writeUInt32BE(payloadLength, OFFSET.payloadLength);
  b.writeUInt16BE(header.segmentCount, OFFSET.segmentCount);
  b[OFFSET.replyFlag] = header.replyFlag;
  b.writeUInt16BE(header.jobLocation, OFFSET.jobLocation);
  b.writeUInt32BE(header.jobId, OFFSET.jobId);
  b.writeUInt16BE(header.receivers, OFFSET.receivers);
  b.writeUInt16BE(header.receiverId, OFFSET.receiverId);
  b.writeUInt16BE(header.partitionsUsed, OFFSET.partitionsUsed);
  b.writeUInt16BE(header.partitionId, OFFSET.partitionId);
  b.writeUInt32BE(header.dbmsTime, OFFSET.dbmsTime);
  b.writeUInt32BE(header.sendTime, OFFSET.sendTime);
  b[OFFSET.ipLength] = ip.length;
  ip.copy(b, OFFSET.ip);
  b.writeUInt32BE(header.port, OFFSET.port);
  b.writeUInt16BE(header.genericFlag, OFFSET.genericFlag);
  cmd.copy(b, HEADER_SIZE);
  Buffer.from(auth).copy(b, HEADER_SIZE + cmd.length);
  Buffer.from(data).copy(b, HEADER_SIZE + cmd.length + auth.length);
  return b;
}

/** The number of defined bytes of an encoded or received block. */
export function usedLength(block: Uint8Array): number {
  return HEADER_SIZE + Buffer.from(block.buffer, block.byteOffset, block.length).readUInt32BE(OFFSET.payloadLength);
}

export interface Segment {
  /** 0 a complete row, 1 a first or middle piece of a row continued in the next block, 2 the last piece. */
  status: number;
  text: string;
}

/** The segments of a result block's data (data structure 2). */
export function decodeSegments(data: Uint8Array): Segment[] {
  const d = Buffer.from(data.buffer, data.byteOffset, data.length);
  const out: Segment[] = [];
  let at = 0;
  while (at + 3 <= d.length) {
    const length = d.readUInt16BE(at);
    const status = d[at + 2]!;
    if (at + 3 + length > d.length) throw new CodecError(`segment at ${at} claims ${length} bytes, ${d.length - at - 3} remain`);
    if (status > 2) throw new CodecError(`segment at ${at} has status ${status} (0, 1 or 2)`);
    out.push({ status, text: d.toString('utf8', at + 3, at + 3 + length) });
    at += 3 + length;
  }
  if (at !== d.length) throw new CodecError(`${d.length - at} stray bytes after the last segment`);
  return out;
}

/**
 * Packs result rows into blocks' data regions as EdgeLake does (message_header.py copy_data): rows are appended
 * while they fit; a row that does not fit is cut so the block is filled exactly (status 1) and continues in the
 * next (status 2 on its last piece); a block is closed when fewer than 10 bytes would remain. Returns per block the
 * data and its segment count.
 */
export function packSegments(rows: readonly string[], capacity: number): { data: Buffer; count: number }[] {
  const blocks: { data: Buffer; count: number }[] = [];
  let parts: Buffer[] = [];
  let used = 0;
  let count = 0;
  const close = () => {
    blocks.push({ data: Buffer.concat(parts), count });
    parts = [];
    used = 0;
    count = 0;
  };
  for (const row of rows) {
    let rest = Buffer.from(row, 'utf8');
    let continued = false;
    for (;;) {
      const free = capacity - used;
      if (3 + rest.length <= free) {
        const head = Buffer.alloc(3);
        head.writeUInt16BE(rest.length, 0);
        head[2] = continued ? 2 : 0;
        parts.push(head, rest);
        used += 3 + rest.length;
        count++;
        if (capacity - used < 10) close();
        break;
      }
      if (free <= 3) {
        close();
        continue;
      }
      const piece = rest.subarray(0, free - 3);
      const head = Buffer.alloc(3);
      head.writeUInt16BE(piece.length, 0);
      head[2] = 1;
      parts.push(head, piece);
      used += 3 + piece.length;
      count++;
      close();
      rest = rest.subarray(piece.length);
      continued = true;
    }
  }
  if (count > 0 || blocks.length === 0) close();
  return blocks;
}

/** The `file write` messages of a file (§5.2): full blocks, and an empty last block when the size is a multiple. */
export function fileWriteBlocks(name: string, content: Buffer, header: BlockHeader, genericFlag: number): Buffer[] {
  const command = `file write ${name.replace(/ /g, '\t')}`;
  const capacity = PAYLOAD_CAPACITY - Buffer.byteLength(command);
  const blocks: Buffer[] = [];
  for (let at = 0, n = 1; ; at += capacity, n++) {
    const piece = content.subarray(at, at + capacity);
    const last = piece.length < capacity;
    blocks.push(encodeBlock({ ...header, blockCounter: n, last, genericFlag, infoType: 0, jobLocation: 0, jobId: 0, receivers: 0, receiverId: 0, partitionsUsed: 0, partitionId: 0, error: 0, dataStruct: 0, segmentCount: 0 }, command, piece));
    if (last) return blocks;
  }
}
