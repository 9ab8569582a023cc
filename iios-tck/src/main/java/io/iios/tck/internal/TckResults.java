package io.iios.tck.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/** Collects one outcome per test of a launched run, named by kit group and path of display names. */
public final class TckResults implements TestExecutionListener {

    public enum Outcome { PASSED, FAILED, SKIPPED }

    /** One test (or a container that failed before its tests ran). */
    public record TestResult(String group, String name, Outcome outcome, @Nullable String skipReason,
            @Nullable String failureMessage, long durationMs) {
    }

    private final List<TestResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private @Nullable TestPlan plan;

    public List<TestResult> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    public long count(Outcome o) {
        return results().stream().filter(r -> r.outcome() == o).count();
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        started.put(id.getUniqueId(), System.nanoTime());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            add(id, Outcome.SKIPPED, reason, null);
        } else if (plan != null) {
            for (TestIdentifier d : plan.getDescendants(id)) {
                if (d.isTest()) {
                    add(d, Outcome.SKIPPED, reason, null);
                }
            }
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        boolean failed = result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
        String message = result.getThrowable().map(TckResults::describe).orElse(null);
        if (id.isTest()) {
            if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
                add(id, Outcome.SKIPPED, reason == null ? "aborted" : reason.replaceFirst("^Assumption failed: ", ""),
                        null);
            } else {
                add(id, failed ? Outcome.FAILED : Outcome.PASSED, null, failed ? message : null);
            }
        } else if (failed && result.getStatus() == TestExecutionResult.Status.FAILED) {
            add(id, Outcome.FAILED, null, message);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        String text = t.getClass().getSimpleName() + (m == null ? "" : ": " + m.strip());
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }

    private void add(TestIdentifier id, Outcome outcome, @Nullable String skipReason, @Nullable String failure) {
        Long t0 = started.remove(id.getUniqueId());
        long ms = t0 == null ? 0 : (System.nanoTime() - t0) / 1_000_000;
        List<String> path = path(id);
        String group = path.isEmpty() ? id.getDisplayName() : path.get(0);
        String name = path.size() <= 1 ? id.getDisplayName() : String.join(" › ", path.subList(1, path.size()));
        results.add(new TestResult(group, name, outcome, skipReason, failure, ms));
    }

    /** Display names from the kit group down to the test, without the engine and the launched class. */
    private List<String> path(TestIdentifier id) {
        List<String> names = new ArrayList<>();
        TestPlan p = plan;
        Optional<TestIdentifier> cur = Optional.of(id);
        while (cur.isPresent() && p != null) {
            TestIdentifier c = cur.get();
            Optional<TestIdentifier> parent = p.getParent(c);
            // stop below the launched class, i.e. at the node whose grandparent is the engine
            if (parent.isEmpty() || p.getParent(parent.get()).isEmpty()) {
                break;
            }
            names.add(0, c.getDisplayName());
            cur = parent;
        }
        return names;
    }
}
