'use strict'
// Node IIOS 2.5.3 request/reply, measured like `iios bench`: bob (bob.js) in a child process, a Gateway here
// calling bob.add(1, 2) from CONCURRENCY async callers, 5 s of warm-up, then SECONDS measured. Redis on 6379.
// Usage (docs/performance.md): cd scripts/node-iios && npm ci && node bench.js http|redis CONCURRENCY [SECONDS]
// (http: bob serves calls on its HTTP server, Node IIOS's default path; redis: calls over Redis pub/sub)
const { fork } = require('child_process')
const Gateway = require('@ignitial/iio-services').Gateway
const [route, conc, seconds] = [process.argv[2], +process.argv[3], +process.argv[4] || 5]
const ns = 'nodebench' + process.pid
const bob = fork(__dirname + '/bob.js', [], { silent: true, env: Object.assign({}, process.env, { NS: ns,
  HTTP_RPC: route === 'http' ? 'true' : 'false', PORT: route === 'http' ? '20555' : '' }) })
const gateway = new Gateway({ namespace: ns, timeout: 10000,
  connector: { redis: { host: '127.0.0.1', port: 6379, db: 0, encoder: 'json' } } })

async function run(ms, latencies) {
  let calls = 0
  const stop = Date.now() + ms
  await Promise.all(Array.from({ length: conc }, async () => {
    while (Date.now() < stop) {
      const t = process.hrtime.bigint()
      const r = await gateway._api.bob.add(1, 2)
      if (r !== 3) throw new Error('bob.add(1, 2) returned ' + r)
      if (latencies) latencies.push(Number(process.hrtime.bigint() - t) / 1000)
      calls++
    }
  }))
  return calls
}

gateway._init().then(() => gateway._waitForServiceAPI('bob', 10000)).then(async () => {
  await run(5000)
  const latencies = []
  const calls = await run(seconds * 1000, latencies)
  latencies.sort((a, b) => a - b)
  console.log(JSON.stringify({ bench: 'node-iios-2.5.3', route, concurrency: conc,
    calls_per_s: +(calls / seconds).toFixed(1), p50_us: +latencies[Math.floor(latencies.length / 2)].toFixed(1) }))
  bob.kill()
  process.exit(0)
}).catch(e => { console.log('FAILED ' + e); bob.kill(); process.exit(1) })
