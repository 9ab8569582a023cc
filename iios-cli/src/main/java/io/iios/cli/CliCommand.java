package io.iios.cli;

import io.iios.api.ConfigException;
import io.iios.api.IiosException;
import io.iios.core.Config;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands: configures logging, starts nodes, and turns any failure into one line on
 * stderr and exit code 1 (a stack trace only with {@code --verbose}).
 */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    IiosCommand parent;

    @Mixin
    CommonOptions common;

    @Override
    public final Integer call() {
        Logging.configure(common.verbose);
        try {
            return execute();
        } catch (Exception e) {
            PrintWriter err = err();
            err.println("iios " + spec.name() + ": " + describe(e));
            if (common.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        } finally {
            out().flush();
        }
    }

    /** Runs the subcommand; returns the exit code. */
    protected abstract int execute() throws Exception;

    static String describe(Throwable e) {
        if (e instanceof ConfigException) {
            return "configuration error: " + e.getMessage();
        }
        String type = e instanceof IiosException || e.getMessage() == null ? e.getClass().getSimpleName() + ": " : "";
        return type + (e.getMessage() == null ? "" : e.getMessage());
    }

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected final ClassLoader appLoader() {
        return CliCommand.class.getClassLoader();
    }

    /** A class loader over the application's and these jars (each must exist). */
    protected final URLClassLoader classLoaderWith(List<Path> jars, String name) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (Path p : jars) {
            if (!Files.exists(p)) {
                throw new ConfigException("--classpath entry " + p + " does not exist");
            }
            urls.add(p.toUri().toURL());
        }
        return new URLClassLoader(name, urls.toArray(URL[]::new), appLoader());
    }

    /** Settings from the common options, seen from the application class loader. */
    protected final Config config() {
        return common.config(appLoader());
    }

    /** A builder with the settings, the class loader and the test hook applied. */
    protected final Iios.Builder builder(Config config, ClassLoader loader) {
        return parent.nodeCustomizer().apply(Iios.builder().config(config).classLoader(loader));
    }

    /**
     * On the broker-less {@code http} transport with no {@code iios.discovery.servers}, makes this node
     * its own discovery server, so that a one-node command runs with no broker and nothing else.
     */
    static Config brokerlessAlone(Config config) {
        if (config.get(io.iios.core.ConfigKeys.TRANSPORT.key()).orElse("").equals("http")
                && config.get("iios.discovery.servers").isEmpty() && config.get("iios.discovery.server").isEmpty()) {
            return config.with("iios.discovery.server", "true");
        }
        return config;
    }

    /** Starts a node hosting these services (none for a pure client). */
    protected final IiosNode startNode(Config config, Object... services) {
        Iios.Builder b = builder(config, appLoader());
        for (Object s : services) {
            b.service(s);
        }
        return b.start();
    }
}
