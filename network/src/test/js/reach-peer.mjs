#!/usr/bin/env node
// js-libp2p peer for Dure's AutoNAT v2 and DCUtR interop tests, run inside the network namespaces
// of org.dure.net.interop.ReachLab (see README.md, "reach-peer.mjs").
//
//   node reach-peer.mjs --listen MA [--announce MA] [--listen-relay MA/p2p-circuit]
//
// stdout: one JSON object per line; stdin: one JSON command per line.

import { createInterface } from 'node:readline'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { autoNATv2 } from '@libp2p/autonat-v2'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { identify, identifyPush } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function errorInfo (err) {
  return { name: err?.name ?? 'Error', message: String(err?.message ?? err) }
}

const args = process.argv.slice(2)
const listen = []
const announce = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--listen' || args[i] === '--listen-relay') listen.push(args[++i])
  else if (args[i] === '--announce') announce.push(args[++i])
  else {
    emit({ event: 'error', error: { name: 'UsageError', message: 'unknown argument ' + args[i] } })
    process.exit(2)
  }
}

const node = await createLibp2p({
  addresses: { listen, appendAnnounce: announce },
  transports: [tcp(), circuitRelayTransport()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping(),
    autoNAT: autoNATv2(),
    dcutr: dcutr()
  }
})

// Every dial this node makes (its own, AutoNAT dial-backs, DCUtR dials) with its outcome.
const connectionManager = node.components.connectionManager
const openConnection = connectionManager.openConnection.bind(connectionManager)
connectionManager.openConnection = async (target, options) => {
  const addrs = (Array.isArray(target) ? target : [target]).map(String)
  try {
    const c = await openConnection(target, options)
    emit({ event: 'open-connection', addrs, ok: true, peerId: c.remotePeer.toString(), remoteAddr: String(c.remoteAddr) })
    return c
  } catch (err) {
    emit({ event: 'open-connection', addrs, ok: false, error: errorInfo(err) })
    throw err
  }
}

node.addEventListener('connection:open', (evt) => {
  const c = evt.detail
  emit({ event: 'connection:open', peerId: c.remotePeer.toString(), remoteAddr: String(c.remoteAddr), direction: c.direction, limited: c.limits != null })
})
node.addEventListener('connection:close', (evt) => {
  const c = evt.detail
  emit({ event: 'connection:close', peerId: c.remotePeer.toString(), remoteAddr: String(c.remoteAddr), direction: c.direction })
})
node.addEventListener('self:peer:update', () => {
  emit({ event: 'self:peer:update', multiaddrs: node.getMultiaddrs().map(String) })
})

function addresses () {
  // The AutoNAT client's tally per address it asked about and has no verdict for yet
  // (success / failure counts); an address it confirmed shows up as verified instead.
  const results = {}
  for (const [addr, r] of node.services.autoNAT.client.dialResults.entries()) {
    results[addr] = { success: r.success, failure: r.failure, result: r.result ?? null }
  }
  return {
    event: 'addresses',
    addresses: node.components.addressManager.getAddressesWithMetadata()
      .map(a => ({ multiaddr: String(a.multiaddr), type: a.type, verified: a.verified })),
    autonat: results
  }
}

emit({ event: 'listening', peerId: node.peerId.toString(), multiaddrs: node.getMultiaddrs().map(String) })

async function run (cmd) {
  switch (cmd.cmd) {
    case 'dial': {
      const c = await node.dial(multiaddr(cmd.addr))
      return { event: 'dialled', peerId: c.remotePeer.toString(), remoteAddr: String(c.remoteAddr) }
    }
    case 'connections': {
      return {
        event: 'connections',
        connections: node.getConnections().map(c => ({
          peerId: c.remotePeer.toString(), remoteAddr: String(c.remoteAddr), direction: c.direction, status: c.status, limited: c.limits != null
        }))
      }
    }
    case 'addresses': return addresses()
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
