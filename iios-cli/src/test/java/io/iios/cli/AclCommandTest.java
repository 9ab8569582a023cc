package io.iios.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.iios.api.AccessDeniedException;
import io.iios.cli.demo.Bob;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import io.iios.core.MemoryBroker;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** iios acl against a node hosting bob with RBAC on, on a memory broker shared with the command's node. */
class AclCommandTest {
    private MemoryBroker broker;
    private IiosNode bobNode;
    private UnaryOperator<Iios.Builder> sameBroker;

    @BeforeEach
    void start() {
        broker = MemoryBroker.create();
        sameBroker = b -> b.transport(broker::connect);
        bobNode = Iios.builder().transport(broker::connect).set("iios.rbac.enabled", "true").service(new Bob()).start();
    }

    @AfterEach
    void stop() {
        bobNode.close();
        broker.close();
    }

    private boolean carolMayNote() {
        try {
            bobNode.gateway().asUser("carol").call("bob", "note", "x");
            return true;
        } catch (AccessDeniedException e) {
            return false;
        }
    }

    @Test
    @DisplayName("grant, bind and check change what a user may call on the running service; revoke takes it back")
    void grantBindCheckRevoke() {
        CliRun denied = CliRun.run(sameBroker, "acl", "check", "carol", "bob", "note");
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(1);
        assertThat(denied.out()).contains("denied: user 'carol' (role anonymous) lacks create:any|own for bob.note");

        assertThat(CliRun.run(sameBroker, "acl", "grant", "editor", "bob", "create:own").out())
                .contains("granted create:own on bob to role editor");
        assertThat(CliRun.run(sameBroker, "acl", "bind", "carol", "editor").out())
                .contains("bound user carol to role editor");
        CliRun allowed = CliRun.run(sameBroker, "acl", "check", "carol", "bob", "note");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).contains("allowed: user 'carol' (role editor) holds create:own [*] for bob.note");
        await().atMost(Duration.ofSeconds(2)).until(this::carolMayNote);

        assertThat(CliRun.run(sameBroker, "acl", "revoke", "editor", "bob", "create:own").out())
                .contains("revoked create:own on bob from role editor");
        await().atMost(Duration.ofSeconds(2)).until(() -> !carolMayNote());
        assertThat(CliRun.run(sameBroker, "acl", "check", "-", "bob", "add").out())
                .contains("allowed: anonymous caller (role anonymous) holds read:any [*] for bob.add");
    }

    @Test
    @DisplayName("roles lists each role's grants per service and the user bindings")
    void roles() {
        CliRun.run(sameBroker, "acl", "grant", "auditor", "*", "read", "--attributes", "title,date");
        CliRun.run(sameBroker, "acl", "bind", "dan", "auditor");
        CliRun r = CliRun.run(sameBroker, "acl", "roles");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("admin\n  bob: create:any, read:any, update:any, delete:any")
                .contains("anonymous\n  bob: read:any, update:any")
                .contains("auditor\n  *: read:any [title, date]")
                .contains("bindings\n  dan -> auditor");
    }

    @Test
    @DisplayName("a wrong action or argument count is one line on stderr, exit 1")
    void usageErrors() {
        CliRun badAction = CliRun.run(sameBroker, "acl", "grant", "r", "bob", "write:any");
        CliRun badCount = CliRun.run(sameBroker, "acl", "bind", "carol");
        CliRun badCommand = CliRun.run(sameBroker, "acl", "promote", "carol");

        assertThat(badAction.exitCode()).isEqualTo(1);
        assertThat(badAction.err()).contains("must be ACTION[:POSSESSION]");
        assertThat(badCount.err()).contains("acl bind takes 2 arguments, got 1");
        assertThat(badCommand.err()).contains("Unknown acl command 'promote'");
    }
}
