// Moleculer 0.14 request/reply over a broker, measured like `iios bench`: a caller broker and a callee broker
// (service bob, action add) in one process, CONCURRENCY async callers for 5 s of warm-up, then SECONDS measured.
// Usage (docs/performance.md): cd scripts/moleculer && npm install && node bench.js nats://127.0.0.1:4222 1 5
// Prints one JSON line: calls/s and the p50 latency.
const { ServiceBroker } = require("moleculer");
const [transporter, concurrency, seconds] = [process.argv[2], +process.argv[3], +process.argv[4] || 5];
const callee = new ServiceBroker({ nodeID: "callee-" + process.pid, transporter, logger: false });
callee.createService({ name: "bob", actions: { add(ctx) { return ctx.params.a + ctx.params.b; } } });
const caller = new ServiceBroker({ nodeID: "caller-" + process.pid, transporter, logger: false, requestTimeout: 10000 });

async function run(ms, latencies) {
  let calls = 0;
  const stop = Date.now() + ms;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < stop) {
      const t = process.hrtime.bigint();
      await caller.call("bob.add", { a: 1, b: 2 });
      if (latencies) latencies.push(Number(process.hrtime.bigint() - t) / 1000);
      calls++;
    }
  }));
  return calls;
}

(async () => {
  await callee.start();
  await caller.start();
  await caller.waitForServices(["bob"]);
  await run(5000); // warm-up
  const latencies = [];
  const calls = await run(seconds * 1000, latencies);
  latencies.sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: "moleculer", transporter, concurrency, calls_per_s: +(calls / seconds).toFixed(1),
    p50_us: +latencies[Math.floor(latencies.length / 2)].toFixed(1) }));
  await caller.stop();
  await callee.stop();
  process.exit(0);
})();
