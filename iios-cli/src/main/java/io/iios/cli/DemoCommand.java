package io.iios.cli;

import io.iios.api.AccessDeniedException;
import io.iios.api.BadMessageException;
import io.iios.api.Event;
import io.iios.api.EventSubscription;
import io.iios.api.Gateway;
import io.iios.api.IiosException;
import io.iios.api.InstanceInfo;
import io.iios.api.RemoteFailureException;
import io.iios.api.ServiceInfo;
import io.iios.api.ServiceUnavailableException;
import io.iios.api.StreamHandle;
import io.iios.cli.demo.Bob;
import io.iios.cli.demo.BobApi;
import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import io.iios.core.IiosNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A tour in one JVM: a node hosting {@code bob} and its gateway, showing calls, a proxy, events and errors. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Tours IIOS in one JVM: service 'bob', calls, a typed proxy, events, a stream, typed errors, RBAC.",
            "Starts a node hosting the demo service 'bob' (with iios.rbac.enabled) and walks through discovery,",
            "calls, a typed proxy, events, a flow-controlled byte stream, typed errors, one allowed and one denied",
            "call, and the service listing, then closes the node. On a real broker it writes bob's default grants and briefly binds user 'alice'.",
            "Uses the embedded memory transport unless --transport (or iios.transport) names another."})
final class DemoCommand extends CliCommand {
    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Longest wait for the service and for each event (default ${DEFAULT-VALUE}).")
    Duration wait;

    private int step;

    @Override
    protected int execute() throws Exception {
        if (!common.verbose && System.getProperty("org.slf4j.simpleLogger.log.io.iios") == null) {
            // the demo provokes bad calls on purpose; their server-side warnings would only be noise here
            System.setProperty("org.slf4j.simpleLogger.log.io.iios", "error");
        }
        PrintWriter out = out();
        // RBAC on for the tour: bob's default grants let anonymous callers read and update, not create
        Config config = config().with(ConfigKeys.RBAC_ENABLED.key(), "true");
        if (config.get(ConfigKeys.TRANSPORT.key()).isEmpty()) {
            // the demo runs on the embedded transport unless one is named, whatever jars are on the classpath
            config = config.with(ConfigKeys.TRANSPORT.key(), "memory");
        }
        boolean http = config.get(ConfigKeys.TRANSPORT.key()).orElse("").equals("http");
        if (http) {
            // broker-less: the demo node is its own discovery server and serves the REST gateway
            config = brokerlessAlone(config).with("iios.http.gateway", "true");
        }
        String ns;
        try (IiosNode node = startNode(config, new Bob())) {
            ns = node.namespace();
            Gateway gw = node.gateway();
            out.println("IIOS demo: node " + node.nodeId() + ", transport " + node.transport().name() + ", encoder "
                    + config.string(ConfigKeys.ENCODER) + ", namespace " + ns);
            out.println();

            ServiceInfo bob = gw.waitForService("bob", wait);
            InstanceInfo first = bob.instances().get(0);
            step("gateway.waitForService(\"bob\", " + wait.toMillis() + "ms)",
                    "bob is live: " + bob.instances().size() + " instance(s), first " + first.instanceId()
                            + " version " + first.version());
            step("gateway.call(\"bob\", \"add\", 1, 2)", Json.write(gw.call("bob", "add", 1, 2)));
            step("gateway.call(\"bob\", \"hello\", \"world\")", Json.write(gw.call("bob", "hello", "world")));

            BobApi proxy = gw.proxy(BobApi.class);
            step("gateway.proxy(BobApi.class).add(40, 2)", "(int) " + proxy.add(40, 2));

            showEvents(node, ns);
            showStream(gw);

            step("gateway.call(\"bob\", \"fail\", \"on purpose\")", expectFailure(RemoteFailureException.class,
                    () -> gw.call("bob", "fail", "on purpose"),
                    e -> "RemoteFailureException: remote type " + e.remoteType() + ", message \"" + e.remoteMessage()
                            + "\""));
            step("gateway.call(\"bob\", \"nope\")", expectFailure(BadMessageException.class,
                    () -> gw.call("bob", "nope"), e -> "BadMessageException: " + e.getMessage()));
            step("gateway.call(\"alice\", \"add\", 1, 2)", expectFailure(ServiceUnavailableException.class,
                    () -> gw.call("alice", "add", 1, 2), e -> "ServiceUnavailableException: " + e.getMessage()));

            node.accessControl().bind("alice", "admin");
            try {
                step("accessControl().bind(\"alice\", \"admin\"); gateway.asUser(\"alice\").call(\"bob\", \"note\", \"hi\")",
                        Json.write(gw.asUser("alice").call("bob", "note", "hi"))
                                + "  (PUT = create; role admin holds create:any)");
                step("gateway.call(\"bob\", \"note\", \"hi\")  (anonymous)", expectFailure(AccessDeniedException.class,
                        () -> gw.call("bob", "note", "hi"), e -> "AccessDeniedException: " + e.getMessage()));
            } finally {
                node.accessControl().unbind("alice");
            }

            if (node.httpEndpoint().isPresent() && config.get("iios.http.gateway").orElse("").equals("true")) {
                String url = node.httpEndpoint().get() + "/api/bob/hello?a=world";
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(url)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                step("curl -X GET " + url + "  (the REST gateway)", r.statusCode() + " " + r.body());
            }
            step("gateway.services()  (what `iios ls` prints)", "");
            ServiceListing.print(out, gw.services(), "      ");
        }
        step("node.close()", "bob deregistered, node stopped");
        out.println();
        out.println("demo finished");
        return 0;
    }

    /** Subscribes with the seed's three names, makes bob push {@code coucou}, prints what each listener got. */
    private void showEvents(IiosNode node, String ns) throws Exception {
        List<String> names = List.of(ns + ":bob:event:coucou", ns + ":bob:event", ns + ":event");
        Map<String, CompletableFuture<Event>> received = new LinkedHashMap<>();
        List<EventSubscription> subs = new ArrayList<>();
        try {
            for (String name : names) {
                CompletableFuture<Event> f = new CompletableFuture<>();
                received.put(name, f);
                subs.add(node.events().on(name, f::complete));
            }
            Object r = node.gateway().call("bob", "coucou", "salut");
            step("events().on(...) x3, then gateway.call(\"bob\", \"coucou\", \"salut\")",
                    Json.write(r) + ", bob pushed event 'coucou'");
            for (Map.Entry<String, CompletableFuture<Event>> e : received.entrySet()) {
                Event ev;
                try {
                    ev = e.getValue().get(wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException te) {
                    throw new IllegalStateException("no event on '" + e.getKey() + "' within " + wait.toMillis() + " ms");
                }
                out().println("      on(\"" + e.getKey() + "\") got payload " + Json.write(ev.payload())
                        + ", meta service=" + ev.meta().service() + " event=" + ev.meta().event() + " instance="
                        + ev.meta().instanceId() + " at " + ev.meta().timestamp() + " user="
                        + ev.meta().userId());
            }
        } finally {
            subs.forEach(EventSubscription::close);
        }
    }

    /** Reads a byte stream bob writes line by line; the reader's credit window bounds what is buffered. */
    private void showStream(Gateway gw) throws Exception {
        StreamHandle h = gw.api("bob").stream("download", "report.txt", 20000);
        long lines = 0;
        long bytes = 0;
        String first = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(h.asInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (first == null) {
                    first = line;
                }
                lines++;
                bytes += line.length() + 1;
            }
        }
        step("gateway.api(\"bob\").stream(\"download\", \"report.txt\", 20000).asInputStream()",
                "read " + lines + " lines (" + bytes + " bytes) in order, first \"" + first
                        + "\"; peak reader buffer " + h.peakBufferedBytes() + " bytes, bounded by the credit window");
    }

    private interface Call {
        @Nullable Object run();
    }

    private interface Describer<E> {
        String describe(E e);
    }

    private static <E extends IiosException> String expectFailure(Class<E> type, Call call, Describer<E> describer) {
        Object result;
        try {
            result = call.run();
        } catch (IiosException e) {
            if (type.isInstance(e)) {
                return "failed as expected with " + describer.describe(type.cast(e));
            }
            throw new IllegalStateException("expected " + type.getSimpleName() + " but got " + e, e);
        }
        throw new IllegalStateException("expected " + type.getSimpleName() + " but the call returned " + result);
    }

    private void step(String what, String result) {
        PrintWriter out = out();
        step++;
        out.printf("%2d. %s%n", step, what);
        if (!result.isEmpty()) {
            out.println("      -> " + result);
        }
        out.flush();
    }
}
