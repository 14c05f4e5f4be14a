#!/usr/bin/env node
// js-libp2p node with @libp2p/mdns discovery, for the network module's mDNS
// interop test (org.dure.net.mdns.MdnsNetnsTest). See README.md.
//
//   node mdns-peer.mjs [--interval MS] [--port N]
//
// Listens on /ip4/0.0.0.0/tcp/PORT (default 0) with tcp + noise + yamux and
// runs mDNS discovery, querying every MS milliseconds (default 1000).
// stdout, one JSON object per line:
//   {"event":"listening","peerId":"12D3KooW…","multiaddrs":["/ip4/10.77.1.1/tcp/…/p2p/…"]}
//   {"event":"mdns:peer","peerId":"…","multiaddrs":["/ip4/…/tcp/…"]}   each raw mDNS discovery
//   {"event":"peer:discovery","peerId":"…","multiaddrs":[…]}           libp2p's event (new peers)
// Stops on SIGTERM / SIGINT or when stdin closes. Needs Node >= 22.

import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { mdns } from '@libp2p/mdns'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function usage (message) {
  emit({ event: 'error', error: { name: 'UsageError', message } })
  process.exit(2)
}

let interval = 1000
let port = 0
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const value = args[i + 1]
  if (args[i] === '--interval' && /^\d+$/.test(value ?? '')) {
    interval = Number(value)
    i++
  } else if (args[i] === '--port' && /^\d+$/.test(value ?? '')) {
    port = Number(value)
    i++
  } else {
    usage(`unknown argument ${args[i]}`)
  }
}

const node = await createLibp2p({
  addresses: { listen: [`/ip4/0.0.0.0/tcp/${port}`] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    mdns: mdns({ interval })
  }
})

node.services.mdns.addEventListener('peer', (evt) => {
  emit({
    event: 'mdns:peer',
    peerId: evt.detail.id.toString(),
    multiaddrs: evt.detail.multiaddrs.map(String)
  })
})
node.addEventListener('peer:discovery', (evt) => {
  emit({
    event: 'peer:discovery',
    peerId: evt.detail.id.toString(),
    multiaddrs: evt.detail.multiaddrs.map(String)
  })
})

emit({
  event: 'listening',
  peerId: node.peerId.toString(),
  multiaddrs: node.getMultiaddrs().map(String)
})

let stopping = false
async function stop () {
  if (stopping) return
  stopping = true
  await node.stop()
  emit({ event: 'stopped' })
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.resume()
