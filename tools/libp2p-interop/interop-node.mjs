// A js-libp2p peer for Callchain's interop tests. Protocol: one JSON object per line.
// stdout: {"event":"listening","peerId":..,"addrs":[..]} first, then events and command replies.
// stdin:  {"id":N,"cmd":"dial"|"ping"|"subscribe"|"unsubscribe"|"publish"|"peers"|"identify"|"stop", ...}
// Replies carry the command's id and either "ok":true with results or "ok":false with "error".
// Environment: KEY_TYPE=Ed25519 (default) or secp256k1.

// Node 20 lacks Promise.withResolvers (Node 22+), which libp2p 3 uses; define it before any
// libp2p module is loaded, hence the dynamic imports below.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve
    let reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { gossipsub } = await import('@libp2p/gossipsub')
const { generateKeyPair } = await import('@libp2p/crypto/keys')
const { multiaddr } = await import('@multiformats/multiaddr')
const readline = await import('node:readline')

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

const keyType = process.env.KEY_TYPE === 'secp256k1' ? 'secp256k1' : 'Ed25519'
const privateKey = await generateKeyPair(keyType)

const node = await createLibp2p({
  privateKey,
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      globalSignaturePolicy: 'StrictSign',
      allowPublishToZeroTopicPeers: true,
      emitSelf: false
    })
  }
})

node.addEventListener('peer:connect', (evt) => emit({ event: 'peer:connect', peer: evt.detail.toString() }))
node.addEventListener('peer:disconnect', (evt) => emit({ event: 'peer:disconnect', peer: evt.detail.toString() }))
node.addEventListener('peer:identify', (evt) => {
  const d = evt.detail
  emit({
    event: 'peer:identify',
    peer: d.peerId.toString(),
    protocols: d.protocols,
    agentVersion: d.agentVersion,
    protocolVersion: d.protocolVersion,
    listenAddrs: (d.listenAddrs ?? []).map((a) => a.toString()),
    observedAddr: d.observedAddr?.toString()
  })
})
node.services.pubsub.addEventListener('message', (evt) => {
  const m = evt.detail
  emit({
    event: 'message',
    topic: m.topic,
    from: m.type === 'signed' ? m.from.toString() : null,
    data: Buffer.from(m.data).toString('base64')
  })
})

await node.start()
emit({
  event: 'listening',
  peerId: node.peerId.toString(),
  keyType,
  addrs: node.getMultiaddrs().map((a) => a.toString())
})

async function run (req) {
  switch (req.cmd) {
    case 'dial': {
      const conn = await node.dial(multiaddr(req.addr))
      return { peer: conn.remotePeer.toString() }
    }
    case 'ping': {
      const rtt = await node.services.ping.ping(multiaddr(req.addr))
      return { rttMs: rtt }
    }
    case 'subscribe':
      node.services.pubsub.subscribe(req.topic)
      return {}
    case 'unsubscribe':
      node.services.pubsub.unsubscribe(req.topic)
      return {}
    case 'publish': {
      const result = await node.services.pubsub.publish(req.topic, Buffer.from(req.data, 'base64'))
      return { recipients: result.recipients.map((p) => p.toString()) }
    }
    case 'peers':
      return {
        peers: node.getPeers().map((p) => p.toString()),
        meshPeers: req.topic ? node.services.pubsub.getMeshPeers(req.topic) : undefined,
        topicPeers: req.topic ? node.services.pubsub.getSubscribers(req.topic).map((p) => p.toString()) : undefined
      }
    case 'identify': {
      const conns = node.getConnections().filter((c) => c.remotePeer.toString() === req.peer)
      if (conns.length === 0) throw new Error('not connected to ' + req.peer)
      const result = await node.services.identify.identify(conns[0])
      return { protocols: result.protocols, agentVersion: result.agentVersion }
    }
    case 'stop':
      await node.stop()
      return {}
    default:
      throw new Error('unknown command ' + req.cmd)
  }
}

const lines = readline.createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (err) {
    emit({ ok: false, error: 'bad JSON: ' + err.message })
    return
  }
  try {
    const result = await run(req)
    emit({ id: req.id, ok: true, ...result })
    if (req.cmd === 'stop') process.exit(0)
  } catch (err) {
    emit({ id: req.id, ok: false, error: String(err?.message ?? err) })
  }
})
lines.on('close', async () => {
  await node.stop().catch(() => {})
  process.exit(0)
})
process.on('unhandledRejection', (err) => emit({ event: 'error', error: String(err?.stack ?? err) }))
