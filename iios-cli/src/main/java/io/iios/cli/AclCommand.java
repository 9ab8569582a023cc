package io.iios.cli;

import io.iios.api.Possession;
import io.iios.core.AccessControl;
import io.iios.core.AccessDecision;
import io.iios.core.IiosNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code iios acl ...}: roles, grants and user bindings of RBAC, in the namespace's KV store. */
@Command(name = "acl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Manages RBAC roles, grants and user bindings (stored in the namespace's KV store).",
            "  iios acl roles                                   roles, their grants, and user bindings",
            "  iios acl grant ROLE SERVICE ACTION[:POSSESSION]  e.g. grant user bob create:own (default any)",
            "  iios acl revoke ROLE SERVICE ACTION[:POSSESSION]",
            "  iios acl bind USER ROLE    /    iios acl unbind USER",
            "  iios acl check USER SERVICE METHOD               USER '-' is anonymous; exit 0 allowed, 1 denied",
            "ACTION is create, read, update or delete (PUT, GET, POST, DELETE); SERVICE may be '*'.",
            "Every node sees a change at once (change notice) or within iios.rbac.cache-ttl."})
final class AclCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "COMMAND", description = "roles, grant, revoke, bind, unbind or check.")
    String command;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments of the command (see above).")
    List<String> args = new ArrayList<>();

    @Option(names = "--attributes", paramLabel = "A,B", split = ",",
            description = "grant: the attributes the grant covers (default *).")
    List<String> attributes = new ArrayList<>();

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "check: longest wait for a live instance of the service, to learn the method's verb (default ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    protected int execute() {
        int arity = switch (command) {
            case "roles" -> 0;
            case "unbind" -> 1;
            case "bind" -> 2;
            case "grant", "revoke", "check" -> 3;
            default -> throw new ParameterException(spec.commandLine(), "Unknown acl command '" + command
                    + "': expected roles, grant, revoke, bind, unbind or check");
        };
        if (args.size() != arity) {
            throw new ParameterException(spec.commandLine(), "acl " + command + " takes " + arity + " argument"
                    + (arity == 1 ? "" : "s") + ", got " + args.size() + ": " + args);
        }
        PrintWriter out = out();
        try (IiosNode node = startNode(config())) {
            AccessControl acl = node.accessControl();
            switch (command) {
                case "roles" -> printRoles(out, acl);
                case "grant" -> {
                    String[] ap = actionAndPossession(args.get(2));
                    acl.grant(args.get(0), args.get(1), ap[0], Possession.valueOf(ap[1].toUpperCase(Locale.ROOT)),
                            attributes.toArray(String[]::new));
                    out.println("granted " + ap[0] + ":" + ap[1] + " on " + args.get(1) + " to role " + args.get(0));
                }
                case "revoke" -> {
                    String[] ap = actionAndPossession(args.get(2));
                    boolean held = acl.revoke(args.get(0), args.get(1), ap[0],
                            Possession.valueOf(ap[1].toUpperCase(Locale.ROOT)));
                    out.println(held ? "revoked " + ap[0] + ":" + ap[1] + " on " + args.get(1) + " from role "
                            + args.get(0) : "role " + args.get(0) + " did not hold " + ap[0] + ":" + ap[1] + " on "
                            + args.get(1));
                }
                case "bind" -> {
                    acl.bind(args.get(0), args.get(1));
                    out.println("bound user " + args.get(0) + " to role " + args.get(1));
                }
                case "unbind" -> out.println(acl.unbind(args.get(0)) ? "unbound user " + args.get(0)
                        : "user " + args.get(0) + " had no binding");
                default -> {
                    node.gateway().waitForService(args.get(1), wait);
                    String user = args.get(0).equals("-") ? null : args.get(0);
                    AccessDecision d = acl.check(user, args.get(1), args.get(2));
                    out.println(d.explain());
                    return d.allowed() ? 0 : 1;
                }
            }
        }
        return 0;
    }

    private String[] actionAndPossession(String spec) {
        int colon = spec.indexOf(':');
        String action = (colon < 0 ? spec : spec.substring(0, colon)).toLowerCase(Locale.ROOT);
        String possession = colon < 0 ? "any" : spec.substring(colon + 1).toLowerCase(Locale.ROOT);
        if (!List.of("create", "read", "update", "delete").contains(action)
                || !List.of("any", "own").contains(possession)) {
            throw new ParameterException(this.spec.commandLine(), "'" + spec
                    + "' must be ACTION[:POSSESSION]: create, read, update or delete, then any (default) or own");
        }
        return new String[] {action, possession};
    }

    private static void printRoles(PrintWriter out, AccessControl acl) {
        List<String> roles = acl.roles();
        if (roles.isEmpty()) {
            out.println("no roles defined");
        }
        for (String role : roles) {
            out.println(role);
            Map<String, Map<String, List<String>>> def = acl.role(role).orElse(Map.of());
            def.forEach((service, grants) -> {
                List<String> g = new ArrayList<>();
                grants.forEach((k, attrs) -> g.add(attrs.equals(List.of("*")) ? k : k + " " + attrs));
                out.println("  " + service + ": " + String.join(", ", g));
            });
        }
        List<String> users = acl.users();
        if (!users.isEmpty()) {
            out.println();
            out.println("bindings");
            for (String u : users) {
                out.println("  " + u + " -> " + acl.roleOf(u).orElse("?"));
            }
        }
    }
}
