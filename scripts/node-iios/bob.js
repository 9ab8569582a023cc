'use strict'
// Node IIOS 2.5.3 service bob (add), for bench.js. HTTP_RPC=true: calls come over its HTTP server (PORT).
const Service = require('@ignitial/iio-services').Service
class Bob extends Service {
  add(a, b) {
    return Promise.resolve(a + b)
  }
}
const options = { name: 'bob', namespace: process.env.NS, httpRPC: process.env.HTTP_RPC || 'false',
  connector: { redis: { host: '127.0.0.1', port: 6379, db: 0, encoder: 'json' } } }
if (process.env.PORT) {
  options.server = { host: '127.0.0.1', port: parseInt(process.env.PORT), path: '.' }
}
new Bob(options)._init().then(() => console.log('READY'))
