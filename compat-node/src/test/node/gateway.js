'use strict'
// A Node IIOS 2.5.3 gateway driven by the interop tests through stdin: one JSON command per line,
// one JSON answer per line on stdout ({"id":..,"ok":true,"result":..} or {"id":..,"ok":false,"err":..}).
// Commands: {op:"wait",service}, {op:"call",service,method,args,userId?,privileged?}, {op:"events"},
// {op:"heartbeats"} (the heartbeats it received: it subscribes them at start).
// Settings: NS, ENCODER json|bson, TIMEOUT (ms), REDIS_PORT.
const Gateway = require('@ignitial/iio-services').Gateway
const readline = require('readline')

const received = []
const heartbeats = []
const gateway = new Gateway({
  namespace: process.env.NS,
  timeout: parseInt(process.env.TIMEOUT || '3000'),
  connector: {
    redis: {
      host: '127.0.0.1',
      port: parseInt(process.env.REDIS_PORT || '6379'),
      db: 0,
      encoder: process.env.ENCODER || 'json'
    }
  }
})
for (const name of ['iios:event', 'iios:jbob:event', 'iios:jbob:event:tick']) {
  gateway.on(name, (a) => {
    received.push({ form: name, data: a })
  })
}

function answer(id, p) {
  p.then(result => {
    console.log(JSON.stringify({ id: id, ok: true, result: result === undefined ? null : result }))
  }).catch(err => {
    console.log(JSON.stringify({ id: id, ok: false, err: err && err.message ? err.message : String(err) }))
  })
}

gateway.on('heartbeat', m => heartbeats.push(m))
gateway._init().then(() => gateway._subscribeHeartBeat()).then(() => {
  const rl = readline.createInterface({ input: process.stdin })
  rl.on('line', line => {
    let cmd
    try {
      cmd = JSON.parse(line)
    } catch (e) {
      return
    }
    if (cmd.op === 'wait') {
      answer(cmd.id, gateway._waitForServiceAPI(cmd.service, 10000).then(() => gateway._services[cmd.service]))
    } else if (cmd.op === 'call') {
      const args = (cmd.args || []).slice()
      if (cmd.userId !== undefined || cmd.privileged) {
        args.push({ $userId: cmd.userId === undefined ? null : cmd.userId, $privileged: cmd.privileged })
      }
      answer(cmd.id, Promise.resolve().then(() => {
        const api = gateway._api[cmd.service]
        if (!api || !api[cmd.method]) throw new Error('no API for ' + cmd.service + '.' + cmd.method)
        return api[cmd.method](...args)
      }))
    } else if (cmd.op === 'heartbeats') {
      answer(cmd.id, Promise.resolve(heartbeats))
    } else if (cmd.op === 'events') {
      answer(cmd.id, Promise.resolve(received))
    } else if (cmd.op === 'push') {
      answer(cmd.id, gateway._pushEvent(cmd.event, cmd.payload))
    }
  })
  rl.on('close', () => process.exit(0))
  console.log('READY')
}).catch(err => {
  console.log('FAILED ' + err)
  process.exit(1)
})
