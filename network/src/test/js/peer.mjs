#!/usr/bin/env node
// js-libp2p interop peer for Dure's network module tests. See README.md for the
// full CLI / JSON contract. stdout: one JSON object per line (machine-readable);
// stderr: diagnostics only.
//
//   node peer.mjs [options] listen
//   node peer.mjs [options] ping MULTIADDR [COUNT]
//   node peer.mjs [options] identify MULTIADDR
//   node peer.mjs [options] echo MULTIADDR BYTES
//   node peer.mjs [options] streams MULTIADDR N SIZE
//   node peer.mjs [options] throughput MULTIADDR BYTES
//   node peer.mjs [options] dial-expect-fail MULTIADDR
//
// Needs Node >= 22 (js-libp2p 3).

import { createHash } from 'node:crypto'
import { createInterface } from 'node:readline'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair, generateKeyPairFromSeed, publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { peerIdFromPublicKey, peerIdFromString } from '@libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'

export const ECHO_PROTOCOL = '/dure/echo/1.0.0'
export const SINK_PROTOCOL = '/dure/sink/1.0.0'
const BLOCK_SIZE = 1024 * 1024
const CHUNK_SIZE = 64 * 1024
const MAX_STREAMS = 1024
const READ_BUFFER_LIMIT = 64 * 1024 * 1024
const MiB = 1024 * 1024

// ---------------------------------------------------------------- output

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function diag (...args) {
  process.stderr.write(`[peer.mjs ${new Date().toISOString()}] ${args.join(' ')}\n`)
}

function errorInfo (err) {
  if (err == null) return { name: 'Error', message: 'unknown error' }
  if (!(err instanceof Error)) err = asError(err, 'non-Error rejection')
  const info = { name: err.name ?? 'Error', message: String(err.message ?? err) }
  if (err.code != null) info.code = String(err.code)
  if (Array.isArray(err.errors) && err.errors.length > 0) info.errors = err.errors.map(errorInfo)
  if (err.cause != null && err.cause !== err) info.cause = errorInfo(err.cause)
  return info
}

class UsageError extends Error {
  constructor (message) {
    super(message)
    this.name = 'UsageError'
  }
}

// ---------------------------------------------------------------- payload
//
// Deterministic payload for seed S (uint32): xorshift32 with state x = S (0 is
// replaced by 0x9E3779B9); each step `x ^= x << 13; x ^= x >>> 17; x ^= x << 5`
// emits x as 4 bytes little-endian. block = the first min(total, 1 MiB) bytes
// of that output; payload byte i = block[i % 1 MiB].

function makeBlock (seed, total) {
  const len = Math.max(4, Math.min(total, BLOCK_SIZE))
  const words = new Uint32Array(Math.ceil(len / 4))
  let x = (seed >>> 0) || 0x9E3779B9
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    words[i] = x
  }
  // Uint32Array is host-endian; make it explicitly little-endian
  const bytes = new Uint8Array(words.buffer, 0, len)
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
    const dv = new DataView(words.buffer)
    for (let i = 0; i < words.length; i++) dv.setUint32(i * 4, words[i], true)
  }
  return Buffer.from(bytes.buffer, 0, Math.min(total, BLOCK_SIZE))
}

/** Yields the payload of `total` bytes in chunks of at most CHUNK_SIZE. */
function * payloadChunks (block, total) {
  let off = 0
  while (off < total) {
    const pos = off % BLOCK_SIZE
    const n = Math.min(CHUNK_SIZE, block.length - pos, total - off)
    yield block.subarray(pos, pos + n)
    off += n
  }
}

/** Verifies received bytes against the expected payload, incrementally. */
class Verifier {
  constructor (block, total, hash = true) {
    this.block = block
    this.total = total
    this.received = 0
    this.match = true
    this.firstMismatchAt = null
    this.hash = hash ? createHash('sha256') : null
  }

  update (data) {
    const buf = data instanceof Uint8Array ? data : data.subarray()
    if (this.hash != null) this.hash.update(buf)
    let k = 0
    while (k < buf.length) {
      if (this.received >= this.total) {
        this.fail(this.received)
        this.received += buf.length - k
        return
      }
      const pos = this.received % BLOCK_SIZE
      const n = Math.min(buf.length - k, this.block.length - pos, this.total - this.received)
      if (this.match &&
        Buffer.compare(buf.subarray(k, k + n), this.block.subarray(pos, pos + n)) !== 0) {
        this.fail(this.received)
      }
      k += n
      this.received += n
    }
  }

  fail (at) {
    if (this.match) {
      this.match = false
      this.firstMismatchAt = at
    }
  }

  result () {
    const ok = this.match && this.received === this.total
    return {
      bytes: this.total,
      received: this.received,
      sha256: this.hash != null ? this.hash.digest('hex') : undefined,
      match: ok,
      firstMismatchAt: ok ? undefined : (this.firstMismatchAt ?? Math.min(this.received, this.total))
    }
  }
}

// ---------------------------------------------------------------- stream helpers

function asBytes (data) {
  return data instanceof Uint8Array ? data : data.subarray()
}

/**
 * Calls onData for every received chunk; resolves once the remote closed its
 * write side and everything was delivered, rejects if the stream is aborted
 * or reset.
 */
function readAll (stream, onData, signal) {
  return new Promise((resolve, reject) => {
    let done = false
    const onAbort = () => finish(signal.reason ?? new Error('aborted'))
    const finish = (err) => {
      if (done) return
      done = true
      signal?.removeEventListener('abort', onAbort)
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('end', onEnd)
      stream.removeEventListener('close', onClose)
      if (err != null) reject(err)
      else resolve()
    }
    const onMessage = (evt) => {
      try {
        onData(evt.data)
      } catch (err) {
        finish(err)
      }
    }
    const onEnd = () => finish()
    const onClose = (evt) => finish(evt.error)
    stream.addEventListener('message', onMessage)
    stream.addEventListener('end', onEnd)
    stream.addEventListener('close', onClose)
    if (signal?.aborted) onAbort()
    signal?.addEventListener('abort', onAbort)
    if (stream.readableEnded) finish()
  })
}

async function sendAll (stream, chunks, signal) {
  for (const chunk of chunks) {
    if (!stream.send(chunk)) {
      try {
        await stream.onDrain({ signal })
      } catch (err) {
        throw asError(err, 'stream closed while waiting to send')
      }
    }
  }
}

/** js-libp2p sometimes rejects with the stream's close Event instead of an Error. */
function asError (err, what) {
  if (err instanceof Error) return err
  if (err?.error instanceof Error) return err.error
  return new Error(`${what} (${err?.type ?? String(err)} event${err?.local != null ? `, local=${err.local}` : ''})`)
}

/**
 * Echo every byte back until the remote closes its write side, then close.
 * While our send buffer is full the stream is paused (yamux stops granting
 * window); data already in flight (up to the remote's send window, which
 * yamux may grow to 16 MiB) is buffered, hence the larger read buffer limit
 * (js-libp2p's default of 4 MiB would reset the stream).
 */
function serveEcho (stream) {
  stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength ?? 0, READ_BUFFER_LIMIT)
  return new Promise((resolve, reject) => {
    let bytes = 0
    let closing = false
    stream.addEventListener('message', (evt) => {
      bytes += evt.data.byteLength
      try {
        if (!stream.send(evt.data)) {
          stream.pause()
          stream.onDrain().then(() => {
            if (stream.readStatus === 'paused') stream.resume()
          }, () => {})
        }
      } catch (err) {
        stream.abort(err)
      }
    })
    const closeWrite = () => {
      if (closing) return
      closing = true
      stream.close().catch((err) => stream.abort(err))
    }
    stream.addEventListener('end', closeWrite)
    stream.addEventListener('close', (evt) => {
      if (evt.error != null) reject(Object.assign(evt.error, { bytes }))
      else resolve(bytes)
    })
    if (stream.readableEnded) closeWrite()
  })
}

/** Read and discard everything; at the end reply with the uint64 BE count and close. */
function serveSink (stream) {
  return new Promise((resolve, reject) => {
    let bytes = 0
    let replied = false
    stream.addEventListener('message', (evt) => { bytes += evt.data.byteLength })
    const reply = () => {
      if (replied) return
      replied = true
      const out = new Uint8Array(8)
      new DataView(out.buffer).setBigUint64(0, BigInt(bytes), false)
      try {
        stream.send(out)
        stream.close().catch((err) => stream.abort(err))
      } catch (err) {
        stream.abort(err)
      }
    }
    stream.addEventListener('end', reply)
    stream.addEventListener('close', (evt) => {
      if (evt.error != null) reject(Object.assign(evt.error, { bytes }))
      else resolve(bytes)
    })
    if (stream.readableEnded) reply()
  })
}

const BEHAVIORS = { echo: serveEcho, sink: serveSink }

function registerHandler (node, protocol, behavior) {
  const serve = BEHAVIORS[behavior]
  if (serve == null) throw new UsageError(`unknown behavior "${behavior}" (echo|sink)`)
  return node.handle(protocol, (stream, connection) => {
    const peerId = connection.remotePeer.toString()
    serve(stream).then(
      (bytes) => emit({ event: 'served', protocol, peerId, bytes }),
      (err) => emit({ event: 'served', protocol, peerId, bytes: err.bytes ?? null, error: errorInfo(err) })
    )
  }, { maxInboundStreams: MAX_STREAMS, maxOutboundStreams: MAX_STREAMS, runOnLimitedConnection: true })
}

// ---------------------------------------------------------------- identify helpers

function identifyJson (result) {
  // identify/push messages normally carry no public key: then both are null
  let publicKeyPeerId = null
  let publicKeyMatches = null
  if (result.publicKey != null) {
    try {
      publicKeyPeerId = peerIdFromPublicKey(publicKeyFromProtobuf(result.publicKey)).toString()
      publicKeyMatches = publicKeyPeerId === result.peerId.toString()
    } catch (err) {
      publicKeyMatches = false
      diag('could not decode identify public key:', err.message)
    }
  }
  return {
    peerId: result.peerId.toString(),
    protocols: [...result.protocols],
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    listenAddrs: result.listenAddrs.map(String),
    observedAddr: result.observedAddr != null ? String(result.observedAddr) : null,
    publicKeyPresent: result.publicKey != null,
    publicKeyPeerId,
    publicKeyMatches
  }
}

async function checkSignedPeerRecord (envelopeBytes, remotePeer) {
  if (envelopeBytes == null) return null
  try {
    const envelope = await RecordEnvelope.openAndCertify(envelopeBytes, PeerRecord.DOMAIN)
    const record = PeerRecord.createFromProtobuf(envelope.payload)
    const signer = peerIdFromPublicKey(envelope.publicKey)
    const valid = record.peerId.equals(signer) && record.peerId.equals(remotePeer)
    return {
      valid,
      seq: record.seqNumber.toString(),
      peerId: record.peerId.toString(),
      addresses: record.multiaddrs.map(String),
      error: valid ? undefined : 'record peer id does not match signer / remote peer'
    }
  } catch (err) {
    return { valid: false, error: `${err.name}: ${err.message}` }
  }
}

// ---------------------------------------------------------------- node

async function privateKeyFromOptions (opts) {
  if (opts.keySeed == null) return generateKeyPair('Ed25519')
  const hex = opts.keySeed.replace(/^0x/, '')
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new UsageError('--key-seed must be 64 hex chars (32 bytes)')
  return generateKeyPairFromSeed('Ed25519', Buffer.from(hex, 'hex'))
}

async function createNode (opts, { listen = [], identifyOnConnect = true } = {}) {
  const privateKey = await privateKeyFromOptions(opts)
  const services = {
    identify: identify({ runOnConnectionOpen: identifyOnConnect }),
    identifyPush: identifyPush(),
    ping: ping()
  }
  if (opts.relayServer) services.relay = circuitRelayServer()
  const relayed = opts.relayClient || opts.listenRelay.length > 0
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: [...listen, ...opts.listenRelay] },
    transports: relayed ? [tcp(), circuitRelayTransport()] : [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services
  })
  if (relayed || opts.relayServer) {
    node.addEventListener('self:peer:update', () => {
      emit({ event: 'self:peer:update', multiaddrs: node.getMultiaddrs().map(String) })
    })
  }
  node.addEventListener('peer:identify', (evt) => {
    const r = evt.detail
    const out = { event: 'peer:identify', ...identifyJson(r) }
    if (r.signedPeerRecord != null) {
      out.signedPeerRecord = {
        seq: r.signedPeerRecord.seq.toString(),
        addresses: r.signedPeerRecord.addresses.map(String)
      }
    }
    emit(out)
  })
  node.addEventListener('connection:open', (evt) => {
    const c = evt.detail
    emit({
      event: 'connection:open',
      peerId: c.remotePeer.toString(),
      remoteAddr: String(c.remoteAddr),
      direction: c.direction
    })
  })
  node.addEventListener('connection:close', (evt) => {
    const c = evt.detail
    emit({ event: 'connection:close', peerId: c.remotePeer.toString(), remoteAddr: String(c.remoteAddr) })
  })
  return node
}

function parseAddr (addr) {
  if (typeof addr !== 'string' || addr.length === 0) throw new UsageError('missing MULTIADDR')
  try {
    return multiaddr(addr)
  } catch (err) {
    throw new UsageError(`bad multiaddr "${addr}": ${err.message}`)
  }
}

function parseCount (value, name, dflt) {
  if (value == null) {
    if (dflt !== undefined) return dflt
    throw new UsageError(`missing ${name}`)
  }
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${name} must be a non-negative integer, got "${value}"`)
  return n
}

// ---------------------------------------------------------------- actions
//
// Every action takes (node, args, ctx) where ctx = { signal, seed, out } and
// returns true on success. `out(obj)` prints an event (adds the command id
// in listen mode).

async function openStream (node, ma, protocol, signal) {
  const connection = await node.dial(ma, { signal })
  return connection.newStream(protocol, { signal, maxOutboundStreams: MAX_STREAMS, runOnLimitedConnection: true })
}

async function echoOnce (node, ma, total, seed, signal, hash = true) {
  const block = makeBlock(seed, total)
  const verifier = new Verifier(block, total, hash)
  const stream = await openStream(node, ma, ECHO_PROTOCOL, signal)
  const start = process.hrtime.bigint()
  const reading = readAll(stream, (d) => verifier.update(d), signal)
  try {
    await sendAll(stream, payloadChunks(block, total), signal)
    await stream.close({ signal })
    await reading
  } catch (err) {
    stream.abort(err)
    reading.catch(() => {})
    throw err
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return { ...verifier.result(), seconds }
}

const ACTIONS = {
  async ping (node, args, ctx) {
    const ma = parseAddr(args[0])
    const count = parseCount(args[1], 'COUNT', 1)
    const rtts = []
    for (let i = 0; i < count; i++) {
      const rtt = await node.services.ping.ping(ma, { signal: ctx.signal })
      rtts.push(rtt)
      ctx.out({ event: 'ping', seq: i, rttMs: rtt })
    }
    ctx.out({ event: 'ping:done', count, rttsMs: rtts })
    return true
  },

  async identify (node, args, ctx) {
    const ma = parseAddr(args[0])
    const connection = await node.dial(ma, { signal: ctx.signal })
    let message
    for (let attempt = 0; ; attempt++) {
      try {
        message = await node.services.identify._identify(connection, { signal: ctx.signal })
        break
      } catch (err) {
        // the automatic identify-on-connect may hold the only outbound identify stream
        if (err.name !== 'TooManyOutboundProtocolStreamsError' || attempt >= 20) throw err
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    const info = identifyJson({
      ...message,
      peerId: connection.remotePeer,
      listenAddrs: message.listenAddrs.map((b) => { try { return String(multiaddr(b)) } catch { return `<invalid ${b.length} bytes>` } }),
      observedAddr: message.observedAddr != null ? (() => { try { return multiaddr(message.observedAddr) } catch { return '<invalid>' } })() : undefined
    })
    const spr = await checkSignedPeerRecord(message.signedPeerRecord, connection.remotePeer)
    ctx.out({ event: 'identify', ...info, signedPeerRecord: spr })
    if (info.publicKeyMatches !== true) {
      throw new Error(message.publicKey == null
        ? 'identify response has no public key'
        : `identify public key is ${info.publicKeyPeerId}, connection peer is ${info.peerId}`)
    }
    if (spr != null && !spr.valid) throw new Error(`invalid signed peer record: ${spr.error}`)
    return true
  },

  async echo (node, args, ctx) {
    const ma = parseAddr(args[0])
    const total = parseCount(args[1], 'BYTES')
    const r = await echoOnce(node, ma, total, ctx.seed, ctx.signal)
    ctx.out({ event: 'echo', ...r, seed: ctx.seed })
    if (!r.match) throw new Error(`echo mismatch: sent ${total}, received ${r.received}, first mismatch at ${r.firstMismatchAt}`)
    return true
  },

  async streams (node, args, ctx) {
    const ma = parseAddr(args[0])
    const n = parseCount(args[1], 'N')
    const size = parseCount(args[2], 'SIZE')
    if (n > MAX_STREAMS) throw new UsageError(`N must be <= ${MAX_STREAMS}`)
    await node.dial(ma, { signal: ctx.signal }) // one connection, N streams on it
    const start = process.hrtime.bigint()
    const results = await Promise.allSettled(
      Array.from({ length: n }, (_, i) => echoOnce(node, ma, size, (ctx.seed + i) >>> 0, ctx.signal)))
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    const matched = results.filter((r) => r.status === 'fulfilled' && r.value.match).length
    const failed = results.filter((r) => r.status === 'rejected')
    const out = {
      event: 'streams',
      streams: n,
      size,
      completed: n - failed.length,
      matched,
      allMatched: matched === n,
      seconds
    }
    if (failed.length > 0) out.errors = failed.slice(0, 5).map((r) => errorInfo(r.reason))
    const mismatched = results.filter((r) => r.status === 'fulfilled' && !r.value.match)
    if (mismatched.length > 0) {
      out.mismatches = mismatched.slice(0, 5).map((r) => ({ received: r.value.received, firstMismatchAt: r.value.firstMismatchAt }))
    }
    ctx.out(out)
    if (matched !== n) throw new Error(`${n - matched} of ${n} echo streams failed or mismatched`)
    return true
  },

  async throughput (node, args, ctx) {
    const ma = parseAddr(args[0])
    const total = parseCount(args[1], 'BYTES')
    const protocol = ctx.protocol ?? 'sink'
    if (protocol === 'echo') {
      const r = await echoOnce(node, ma, total, ctx.seed, ctx.signal, false)
      ctx.out({
        event: 'throughput',
        protocol: 'echo',
        bytes: total,
        received: r.received,
        seconds: r.seconds,
        mibPerSec: total / MiB / r.seconds,
        match: r.match
      })
      if (!r.match) throw new Error('echo payload mismatch')
      return true
    }
    if (protocol !== 'sink') throw new UsageError(`--protocol must be sink or echo, got "${protocol}"`)
    const block = makeBlock(ctx.seed, total)
    const stream = await openStream(node, ma, SINK_PROTOCOL, ctx.signal)
    const start = process.hrtime.bigint()
    const reply = []
    const reading = readAll(stream, (d) => reply.push(Buffer.from(asBytes(d))), ctx.signal)
    try {
      await sendAll(stream, payloadChunks(block, total), ctx.signal)
      await stream.close({ signal: ctx.signal })
      await reading
    } catch (err) {
      stream.abort(err)
      reading.catch(() => {})
      throw err
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    const buf = Buffer.concat(reply)
    const acked = buf.length >= 8 ? Number(buf.readBigUInt64BE(0)) : null
    ctx.out({
      event: 'throughput',
      protocol: 'sink',
      bytes: total,
      ackedBytes: acked,
      seconds,
      mibPerSec: total / MiB / seconds,
      match: acked === total && buf.length === 8
    })
    if (acked !== total) throw new Error(`sink acknowledged ${acked} bytes (reply ${buf.length} bytes), sent ${total}`)
    return true
  },

  async 'dial-expect-fail' (node, args, ctx) {
    const ma = parseAddr(args[0])
    let connection
    try {
      connection = await node.dial(ma, { signal: ctx.signal })
    } catch (err) {
      ctx.out({ event: 'dial-expect-fail', failed: true, stage: 'dial', error: errorInfo(err) })
      return true
    }
    // connected: the remote may still reject us right after the handshake, so
    // check the connection is usable
    let rtt
    try {
      rtt = await node.services.ping.ping(ma, { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(5000)]) })
    } catch (err) {
      ctx.out({
        event: 'dial-expect-fail',
        failed: true,
        stage: 'after-connect',
        peerId: connection.remotePeer.toString(),
        error: errorInfo(err)
      })
      return true
    }
    ctx.out({ event: 'dial-expect-fail', failed: false, peerId: connection.remotePeer.toString(), rttMs: rtt })
    throw new Error(`dial to ${ma} unexpectedly succeeded (peer ${connection.remotePeer})`)
  }
}

// ---------------------------------------------------------------- listen mode

async function listenMode (opts) {
  const node = await createNode(opts, { listen: [`/ip4/127.0.0.1/tcp/${opts.port ?? 0}`] })
  registerHandler(node, ECHO_PROTOCOL, 'echo')
  registerHandler(node, SINK_PROTOCOL, 'sink')
  emit({
    event: 'listening',
    peerId: node.peerId.toString(),
    multiaddrs: node.getMultiaddrs().map(String),
    protocols: node.getProtocols()
  })

  let stopping = false
  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    try {
      await node.stop()
    } catch (err) {
      diag('stop failed:', err.message)
    }
    emit({ event: 'stopped' })
    process.exit(code)
  }
  process.on('SIGTERM', () => { stop(0) })
  process.on('SIGINT', () => { stop(0) })

  const commands = {
    async handle (cmd) {
      await registerHandler(node, requireString(cmd, 'protocol'), cmd.behavior ?? 'echo')
      return { event: 'handled', protocol: cmd.protocol, protocols: node.getProtocols() }
    },
    async unhandle (cmd) {
      await node.unhandle(requireString(cmd, 'protocol'))
      return { event: 'unhandled', protocol: cmd.protocol, protocols: node.getProtocols() }
    },
    async connections () {
      return {
        event: 'connections',
        connections: node.getConnections().map((c) => ({
          peerId: c.remotePeer.toString(),
          remoteAddr: String(c.remoteAddr),
          direction: c.direction,
          status: c.status,
          streams: c.streams.length
        }))
      }
    },
    async 'peer-store' (cmd) {
      const peer = await node.peerStore.get(peerIdFromString(requireString(cmd, 'peerId')))
      const agent = peer.metadata.get('AgentVersion')
      return {
        event: 'peer-store',
        peerId: peer.id.toString(),
        protocols: [...peer.protocols],
        addresses: peer.addresses.map((a) => String(a.multiaddr)),
        agentVersion: agent != null ? Buffer.from(agent).toString('utf8') : null
      }
    },
    async hangup (cmd) {
      const target = cmd.peerId != null ? peerIdFromString(cmd.peerId) : parseAddr(cmd.addr)
      await node.hangUp(target)
      return { event: 'hangup' }
    }
  }

  const runCommand = async (line) => {
    let cmd
    try {
      cmd = JSON.parse(line)
      if (cmd == null || typeof cmd !== 'object' || typeof cmd.cmd !== 'string') throw new Error('missing "cmd"')
    } catch (err) {
      emit({ event: 'error', message: `bad command line: ${err.message}`, line })
      return
    }
    const id = cmd.id
    const out = (obj) => emit(id === undefined ? { ...obj, cmd: cmd.cmd } : { ...obj, cmd: cmd.cmd, id })
    if (cmd.cmd === 'stop') {
      await stop(0)
      return
    }
    try {
      if (commands[cmd.cmd] != null) {
        out(await commands[cmd.cmd](cmd))
      } else if (ACTIONS[cmd.cmd] != null) {
        const ctx = {
          signal: AbortSignal.timeout(cmd.timeoutMs ?? opts.timeoutMs),
          seed: parseCount(cmd.seed, 'seed', opts.seed) >>> 0,
          protocol: cmd.protocol,
          out
        }
        await ACTIONS[cmd.cmd](node, actionArgs(cmd), ctx)
      } else {
        throw new UsageError(`unknown cmd "${cmd.cmd}"`)
      }
      out({ event: 'done', ok: true })
    } catch (e) {
      const err = asError(e, 'failed')
      diag(`cmd ${cmd.cmd} failed:`, err.stack ?? err)
      out({ event: 'error', message: `${err.name}: ${err.message}`, error: errorInfo(err) })
      out({ event: 'done', ok: false })
    }
  }

  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
  rl.on('line', (line) => {
    if (line.trim().length === 0) return
    runCommand(line).catch((err) => diag('command crashed:', err.stack ?? err))
  })
  rl.on('close', () => {
    diag('stdin closed, stopping')
    stop(0)
  })
}

function requireString (cmd, field) {
  const v = cmd[field]
  if (typeof v !== 'string' || v.length === 0) throw new UsageError(`missing string field "${field}"`)
  return v
}

/** Maps a stdin command object onto the positional args of the one-shot action. */
function actionArgs (cmd) {
  switch (cmd.cmd) {
    case 'ping': return [cmd.addr, cmd.count]
    case 'identify': return [cmd.addr]
    case 'echo': return [cmd.addr, cmd.bytes]
    case 'streams': return [cmd.addr, cmd.n, cmd.size]
    case 'throughput': return [cmd.addr, cmd.bytes]
    case 'dial-expect-fail': return [cmd.addr]
    default: return []
  }
}

// ---------------------------------------------------------------- main

function parseArgs (argv) {
  const opts = { seed: 1, timeoutMs: 30000, keySeed: null, port: null, protocol: undefined, relayClient: false, relayServer: false, listenRelay: [] }
  const positional = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`)
      return argv[++i]
    }
    switch (a) {
      case '--key-seed': opts.keySeed = next(); break
      case '--seed': opts.seed = parseCount(next(), '--seed') >>> 0; break
      case '--timeout': opts.timeoutMs = parseCount(next(), '--timeout'); break
      case '--port': opts.port = parseCount(next(), '--port'); break
      case '--protocol': opts.protocol = next(); break
      case '--relay-client': opts.relayClient = true; break
      case '--relay-server': opts.relayServer = true; break
      case '--listen-relay': opts.listenRelay.push(next()); break
      case '-h': case '--help': opts.help = true; break
      default:
        if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`)
        positional.push(a)
    }
  }
  return { opts, mode: positional[0], args: positional.slice(1) }
}

const USAGE = `usage: node peer.mjs [--key-seed HEX64] [--seed N] [--timeout MS] [--port N] [--protocol sink|echo]
       [--relay-client] [--relay-server] [--listen-relay MA/p2p-circuit] MODE ARGS
modes: listen | ping MA [COUNT] | identify MA | echo MA BYTES | streams MA N SIZE |
       throughput MA BYTES | dial-expect-fail MA       (see README.md)`

// A bug in a stream handler must not silently kill a listening fixture: report it
// as an event (tests fail on unexpected "error" events) and keep serving.
process.on('uncaughtException', (err) => {
  diag('uncaught exception:', err.stack ?? err)
  emit({ event: 'error', message: `uncaught ${err.name}: ${err.message}`, error: errorInfo(err) })
})
process.on('unhandledRejection', (err) => {
  diag('unhandled rejection:', err?.stack ?? err)
  emit({ event: 'error', message: `unhandled rejection ${err?.name}: ${err?.message}`, error: errorInfo(err) })
})

async function main () {
  const major = Number(process.versions.node.split('.')[0])
  if (major < 22) throw new Error(`Node >= 22 required, this is ${process.version} (run .ci/install-node22.sh)`)
  const { opts, mode, args } = parseArgs(process.argv.slice(2))
  if (opts.help || mode == null) {
    process.stderr.write(USAGE + '\n')
    process.exit(opts.help ? 0 : 2)
  }
  if (mode === 'listen') {
    await listenMode(opts)
    return
  }
  const action = ACTIONS[mode]
  if (action == null) throw new UsageError(`unknown mode "${mode}"\n${USAGE}`)
  // the identify action runs identify itself (to see the raw, unvalidated response)
  const node = await createNode(opts, { identifyOnConnect: mode !== 'identify' })
  emit({ event: 'started', peerId: node.peerId.toString(), mode })
  let code = 0
  try {
    const ctx = { signal: AbortSignal.timeout(opts.timeoutMs), seed: opts.seed, protocol: opts.protocol, out: emit }
    await action(node, args, ctx)
  } catch (err) {
    err = asError(err, 'failed')
    diag(`${mode} failed:`, err.stack ?? err)
    emit({ event: 'error', message: `${err.name}: ${err.message}`, error: errorInfo(err) })
    code = err instanceof UsageError ? 2 : 1
  }
  try {
    await Promise.race([node.stop(), new Promise((resolve) => setTimeout(resolve, 3000))])
  } catch (err) {
    diag('stop failed:', err.message)
  }
  process.exit(code)
}

main().catch((err) => {
  diag('fatal:', err.stack ?? err)
  emit({ event: 'error', message: `${err.name}: ${err.message}`, error: errorInfo(err) })
  process.exit(err instanceof UsageError ? 2 : 1)
})
