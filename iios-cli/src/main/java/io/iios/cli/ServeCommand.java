package io.iios.cli;

import io.iios.api.ConfigException;
import io.iios.api.Service;
import io.iios.api.ServiceHandle;
import io.iios.core.Config;
import io.iios.core.ConfigKeys;
import io.iios.core.Iios;
import io.iios.core.IiosNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iios serve}: hosts the classes named by {@code iios.services} until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Hosts the service classes named by iios.services until stopped.",
            "Each class needs @Service and a public no-argument constructor. Runs until Ctrl-C or SIGTERM;",
            "stopping deregisters the services and exits 0.",
            "Classes and extra transports are loaded from the --classpath jars."})
final class ServeCommand extends CliCommand {
    @Option(names = "--classpath", paramLabel = "JAR", split = ",",
            description = "Jars (or class directories), comma-separated, holding the service classes and their dependencies.")
    List<Path> classpath = new ArrayList<>();

    @Override
    protected int execute() throws Exception {
        URLClassLoader loader = classLoaderWith(classpath, "iios-services");
        Config config = common.config(loader);
        List<String> classNames = config.list(ConfigKeys.SERVICES.key());
        if (classNames.isEmpty()) {
            throw new ConfigException("iios.services is empty: list the service classes to host, e.g. "
                    + "iios.services=com.example.Bob in --config FILE (environment IIOS_SERVICES)");
        }
        Iios.Builder builder = builder(config, loader);
        List<Class<?>> classes = new ArrayList<>();
        for (String name : classNames) {
            Class<?> type = load(name, loader);
            builder.service(instantiate(type));
            classes.add(type);
        }
        IiosNode node = builder.start();
        List<ServiceHandle> hosted = node.services();
        for (int i = 0; i < hosted.size(); i++) {
            ServiceHandle h = hosted.get(i);
            out().println("serving " + h.name() + " (" + classes.get(i).getName() + ") as instance " + h.instanceId()
                    + " on transport " + node.transport().name() + ", namespace " + node.namespace());
        }
        out().println("node " + node.nodeId() + " running; stop with Ctrl-C or SIGTERM");
        out().flush();
        UntilStopped.await(node, out(), "node " + node.nodeId() + " stopped; services deregistered");
        return 0;
    }

    private Class<?> load(String name, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(name, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException("service class " + name + " from iios.services cannot be loaded ("
                    + e + "); " + (classpath.isEmpty() ? "add its jar with --classpath JAR"
                    : "classpath searched: the iios jar and " + classpath));
        }
        if (type.getAnnotation(Service.class) == null) {
            throw new ConfigException("service class " + name + " from iios.services has no @io.iios.api.Service annotation");
        }
        return type;
    }

    private static Object instantiate(Class<?> type) {
        try {
            Constructor<?> c = type.getConstructor();
            if (!Modifier.isPublic(type.getModifiers())) {
                throw new NoSuchMethodException("class not public");
            }
            return c.newInstance();
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new ConfigException("service class " + type.getName()
                    + " needs to be a public, concrete class with a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new ConfigException("the constructor of service class " + type.getName() + " threw "
                    + e.getCause(), e.getCause());
        }
    }
}
