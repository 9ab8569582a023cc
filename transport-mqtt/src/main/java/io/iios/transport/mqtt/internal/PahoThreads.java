package io.iios.transport.mqtt.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.internal.CommsCallback;
import org.eclipse.paho.mqttv5.client.internal.CommsReceiver;
import org.eclipse.paho.mqttv5.client.internal.CommsSender;

/**
 * The executor one Paho client runs on: a thread per task for its connect, disconnect, receiver, sender and
 * callback loops, and one thread for the keep-alive ping schedule. Virtual threads from JDK 24 on, where
 * {@code synchronized} and {@code Object.wait} (which Paho uses throughout) no longer pin the carrier (JEP 491);
 * platform daemon threads on JDK 21–23.
 *
 * <p>The receiver loop is the exception: always a platform daemon thread. It spends its life in a blocking socket
 * read, and a virtual thread blocked there is parked on the JDK's poller: every incoming packet then costs the
 * poller's wake-up and the hand-off of the reader to a carrier before Paho even sees it, where a platform thread
 * simply returns from {@code read}. Measured on 2026-12-05 (2-core VM, Mosquitto on loopback, one call at a time):
 * about 15 % more calls/s and a quarter less CPU per call; unchanged with 100 in flight (docs/performance.md).
 *
 * <p>Why not a plain pool: Paho 1.2.5 starts its receiver, sender and callback with
 * {@code submit(loop); while (!loop.isRunning()) Thread.sleep(100);} (paho.mqtt.java issue 945, open), and the
 * new loop cannot mark itself running before the starter sleeps, because the starter holds the loop's lock while
 * it submits. Three such starts cost every connect 300 ms. So for those three loops this executor also starts a
 * short-lived watcher that waits (polling every 20 µs, at most one second) until the loop runs and then
 * interrupts the starter while it sleeps; Paho swallows the interrupt and finds the loop running. The starter is
 * Paho's connect task, which runs on its own thread here (never a pooled one) and does no interruptible I/O, so a
 * late interrupt can only end one of those sleeps early.
 */
final class PahoThreads extends ScheduledThreadPoolExecutor {
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long KICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ThreadFactory tasks;
    private final ThreadFactory receiver;
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    PahoThreads(String clientId) {
        this(threads("iios-mqtt-paho-" + clientId + "-"),
                Thread.ofPlatform().daemon().name("iios-mqtt-paho-" + clientId + "-receiver").factory());
    }

    private PahoThreads(ThreadFactory factory, ThreadFactory receiver) {
        super(1, factory);
        this.tasks = factory;
        this.receiver = receiver;
        setRemoveOnCancelPolicy(true);
    }

    private static ThreadFactory threads(String name) {
        return Runtime.version().feature() >= 24 ? Thread.ofVirtual().name(name, 0).factory()
                : Thread.ofPlatform().daemon().name(name, 0).factory();
    }

    /** Paho's connect and disconnect tasks: each on a thread of its own. */
    @Override
    public void execute(Runnable task) {
        start(task, tasks);
    }

    /** Paho's receiver, sender and callback loops: each on a thread of its own; the future interrupts it. */
    @Override
    public Future<?> submit(Runnable task) {
        FutureTask<Void> future = new FutureTask<>(task, null);
        start(future, task instanceof CommsReceiver ? receiver : tasks);
        if (task instanceof CommsReceiver || task instanceof CommsSender || task instanceof CommsCallback) {
            wakeWhenRunning(Thread.currentThread(), task);
        }
        return future;
    }

    private void start(Runnable task, ThreadFactory factory) {
        if (isShutdown()) {
            throw new RejectedExecutionException("the MQTT client is closed");
        }
        Thread t = factory.newThread(() -> {
            try {
                task.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        });
        live.add(t);
        t.start();
    }

    /** Also interrupts every task thread still running (Paho stops its loops itself on a clean disconnect). */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> pending = super.shutdownNow();
        for (Thread t : live) {
            t.interrupt();
        }
        return pending;
    }

    private static void wakeWhenRunning(Thread starter, Runnable loop) {
        Thread.ofVirtual().name("iios-mqtt-paho-start").start(() -> {
            long giveUp = System.nanoTime() + WATCH_NANOS;
            while (!running(loop)) {
                if (System.nanoTime() - giveUp > 0) {
                    return; // Paho's own 100 ms polling takes over
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            // the starter may not be asleep yet: look for its sleep a little while
            long until = System.nanoTime() + KICK_NANOS;
            while (starter.isAlive() && System.nanoTime() - until < 0) {
                if (starter.getState() == Thread.State.TIMED_WAITING) {
                    starter.interrupt();
                    return;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        });
    }

    private static boolean running(Runnable loop) {
        if (loop instanceof CommsReceiver r) {
            return r.isRunning();
        }
        if (loop instanceof CommsSender s) {
            return s.isRunning();
        }
        return ((CommsCallback) loop).isRunning();
    }
}
