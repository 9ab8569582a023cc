'use strict'
// A Node IIOS 2.5.3 service for the interop tests. Settings come from the environment:
// NS namespace, NAME service name, ENCODER json|bson, HTTP_RPC true|false, PORT (HTTP server),
// ACNS (enables access control in Redis DB 1 with that namespace), HEARTBEAT (ms), REDIS_PORT.
// It prints READY once registered, and records the events it receives (method `seen`).
const Service = require('@ignitial/iio-services').Service

const received = []
const streamsRead = {}

class Bob extends Service {
  add(a, b) {
    return Promise.resolve(a + b)
  }

  echo(v) {
    return Promise.resolve(v)
  }

  whoami(ctx) {
    /* @_GET_ */
    return Promise.resolve(ctx && ctx.$userId !== undefined ? ctx.$userId : null)
  }

  create(doc) {
    /* @_PUT_ */
    return Promise.resolve({ created: doc })
  }

  remove(id) {
    /* @_DELETE_ */
    return Promise.resolve({ removed: id })
  }

  fail(x) {
    return Promise.reject(new Error('bob failed on purpose: ' + x))
  }

  tick(n) {
    return this._pushEvent('tick', { n: n }).then(() => n)
  }

  seen() {
    /* @_GET_ */
    return Promise.resolve(received)
  }

  streamOut(name, parts) {
    const out = this._addStream(name)
    for (const p of parts) out.write(Buffer.from(p))
    out.end()
    return Promise.resolve(parts.length)
  }

  streamIn(name) {
    const input = this._addStream('in_' + name, name)
    const chunks = []
    streamsRead[name] = new Promise(resolve => {
      input.on('data', c => chunks.push(c))
      input.on('end', () => resolve(Buffer.concat(chunks).toString()))
    })
    return Promise.resolve(true)
  }

  streamResult(name) {
    return streamsRead[name]
  }

  version() {
    /* @_GET_ */
    return Promise.resolve(process.env.GENERATION || '1')
  }
}

const options = {
  name: process.env.NAME || 'bob',
  namespace: process.env.NS,
  httpRPC: process.env.HTTP_RPC || 'false',
  connector: {
    redis: {
      host: '127.0.0.1',
      port: parseInt(process.env.REDIS_PORT || '6379'),
      db: 0,
      encoder: process.env.ENCODER || 'json'
    }
  },
  publicOptions: { color: 'blue' }
}
if (process.env.PORT) {
  options.server = { host: '127.0.0.1', port: parseInt(process.env.PORT), path: '.' }
}
if (process.env.ACNS) {
  options.accesscontrol = {
    namespace: process.env.ACNS,
    connector: { redis: { host: '127.0.0.1', port: parseInt(process.env.REDIS_PORT || '6379'), db: 1 } }
  }
}
if (process.env.HEARTBEAT) {
  options.heartbeatPeriod = parseInt(process.env.HEARTBEAT)
}

const bob = new Bob(options)
for (const name of ['iios:event', 'iios:jbob:event', 'iios:jbob:event:tock']) {
  bob.on(name, (a) => {
    received.push({ form: name, data: a })
  })
}
bob._init().then(() => {
  console.log('READY')
}).catch(err => {
  console.log('FAILED ' + err)
  process.exit(1)
})
