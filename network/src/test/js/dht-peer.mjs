#!/usr/bin/env node
// js-libp2p Kademlia DHT peer for Dure's kad interop tests (see README.md, "dht-peer.mjs").
//
//   node dht-peer.mjs [--bootstrap MULTIADDR]... server|client
//
// Listens on 127.0.0.1 only, dials only the bootstrap addresses it is given (tests pass
// loopback ones). stdout: one JSON object per line; stdin: one JSON command per line.

import { createInterface } from 'node:readline'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify, identifyPush } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { CID } from 'multiformats/cid'

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function errorInfo (err) {
  return { name: err?.name ?? 'Error', message: String(err?.message ?? err) }
}

const args = process.argv.slice(2)
const bootstrap = []
let mode = null
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--bootstrap') bootstrap.push(args[++i])
  else mode = args[i]
}
if (mode !== 'server' && mode !== 'client') {
  emit({ event: 'error', error: { name: 'UsageError', message: 'mode must be server or client' } })
  process.exit(2)
}

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping(),
    // Loopback addresses are the only ones in these tests: keep them (the default mapper of
    // kad-dht drops private and loopback addresses, as the public Amino DHT wants).
    dht: kadDHT({
      clientMode: mode === 'client',
      peerInfoMapper: passthroughMapper,
      allowQueryWithZeroPeers: true
    })
  }
})
const dht = node.services.dht

for (const a of bootstrap) {
  try {
    await node.dial(multiaddr(a))
  } catch (err) {
    emit({ event: 'bootstrap-failed', addr: a, error: errorInfo(err) })
  }
}
// kad-dht adds a peer to its routing table after identify and a check of its own, both
// asynchronous: wait (up to 10 s) until the bootstrap servers are in, so that the first query
// has someone to ask.
const wanted = bootstrap.length
const until = Date.now() + 10000
while (dht.routingTable.size < wanted && Date.now() < until) {
  await new Promise(resolve => setTimeout(resolve, 25))
}

emit({
  event: 'listening',
  peerId: node.peerId.toString(),
  multiaddrs: node.getMultiaddrs().map(String),
  mode: dht.getMode()
})

function keyCid (hex) {
  // A provider key is a multihash on the wire; as a sha2-256 multihash it reads as a CIDv0.
  return CID.decode(Uint8Array.from(Buffer.from(hex, 'hex')))
}

async function run (cmd) {
  switch (cmd.cmd) {
    case 'provide': {
      for await (const e of dht.provide(keyCid(cmd.key))) {
        if (e.name === 'QUERY_ERROR') emit({ event: 'query-error', error: errorInfo(e.error) })
      }
      return { event: 'provided' }
    }
    case 'find-providers': {
      const providers = []
      const seen = []
      for await (const e of dht.findProviders(keyCid(cmd.key))) {
        seen.push(e.name + (e.providers != null ? ':' + e.providers.length : ''))
        if (e.name === 'PROVIDER') {
          for (const p of e.providers) {
            providers.push({ peerId: p.id.toString(), multiaddrs: p.multiaddrs.map(String) })
          }
        }
      }
      return { event: 'providers', providers, events: seen }
    }
    case 'find-peer': {
      for await (const e of dht.findPeer(peerIdFromString(cmd.peerId))) {
        if (e.name === 'FINAL_PEER') {
          return { event: 'peer', peerId: e.peer.id.toString(), multiaddrs: e.peer.multiaddrs.map(String) }
        }
      }
      throw new Error('peer not found')
    }
    case 'routing-table': {
      return { event: 'routing-table', size: dht.routingTable?.size ?? null }
    }
    case 'dial': {
      const c = await node.dial(multiaddr(cmd.addr))
      return { event: 'dialled', peerId: c.remotePeer.toString() }
    }
    case 'stop': {
      await node.stop()
      emit({ event: 'stopped', id: cmd.id })
      process.exit(0)
    }
  }
  throw new Error('unknown command ' + cmd.cmd)
}

const rl = createInterface({ input: process.stdin })
rl.on('line', (line) => {
  if (line.trim() === '') return
  let cmd
  try {
    cmd = JSON.parse(line)
  } catch (err) {
    emit({ event: 'error', error: errorInfo(err) })
    return
  }
  const timeout = AbortSignal.timeout(cmd.timeoutMs ?? 30000)
  Promise.race([
    run(cmd),
    new Promise((resolve, reject) => timeout.addEventListener('abort', () => reject(new Error('timed out'))))
  ]).then(
    (result) => {
      emit({ ...result, cmd: cmd.cmd, id: cmd.id })
      emit({ event: 'done', ok: true, cmd: cmd.cmd, id: cmd.id })
    },
    (err) => {
      emit({ event: 'error', error: errorInfo(err), cmd: cmd.cmd, id: cmd.id })
      emit({ event: 'done', ok: false, cmd: cmd.cmd, id: cmd.id })
    })
})
rl.on('close', async () => {
  await node.stop()
  process.exit(0)
})
process.on('SIGTERM', async () => {
  await node.stop()
  process.exit(0)
})
