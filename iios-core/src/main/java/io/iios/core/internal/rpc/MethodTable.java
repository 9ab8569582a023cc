package io.iios.core.internal.rpc;

import io.iios.api.AccessControlled;
import io.iios.api.Delete;
import io.iios.api.Get;
import io.iios.api.MethodInfo;
import io.iios.api.Post;
import io.iios.api.Put;
import io.iios.api.ServiceLifecycle;
import io.iios.api.Verb;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The callable methods of a service object (seed rule): public instance methods whose names do not
 * start with {@code _} or {@code $}, except those of {@link Object}, {@link ServiceLifecycle} and
 * {@link AccessControlled}.
 * Overloads are refused: a remote name must mean one method.
 */
public final class MethodTable {
    private final Map<String, MethodBinding> methods;

    public MethodTable(String service, Object target) {
        Map<String, MethodBinding> found = new TreeMap<>();
        for (Method m : target.getClass().getMethods()) {
            if (!callable(m)) {
                continue;
            }
            if (found.containsKey(m.getName())) {
                throw new IllegalArgumentException("service '" + service + "' has several public methods named '"
                        + m.getName() + "'; remote methods cannot be overloaded");
            }
            found.put(m.getName(), new MethodBinding(target, m, verbOf(m), isPublicHttp(m)));
        }
        this.methods = new LinkedHashMap<>(found);
    }

    private static boolean callable(Method m) {
        if (Modifier.isStatic(m.getModifiers()) || m.isSynthetic() || m.isBridge()) {
            return false;
        }
        Class<?> owner = m.getDeclaringClass();
        if (owner == Object.class || owner == ServiceLifecycle.class || owner == AccessControlled.class
                || owner.isRecord() && isRecordAccessor(m)) {
            return false;
        }
        for (Class<?> framework : new Class<?>[] {ServiceLifecycle.class, AccessControlled.class}) {
            try {
                framework.getMethod(m.getName(), m.getParameterTypes());
                return false;
            } catch (NoSuchMethodException e) {
                // not a framework method
            }
        }
        String n = m.getName();
        return !n.startsWith("_") && !n.startsWith("$");
    }

    private static boolean isRecordAccessor(Method m) {
        for (var c : m.getDeclaringClass().getRecordComponents()) {
            if (c.getName().equals(m.getName()) && m.getParameterCount() == 0) {
                return true;
            }
        }
        return false;
    }

    private static Verb verbOf(Method m) {
        if (m.isAnnotationPresent(Get.class)) {
            return Verb.GET;
        }
        if (m.isAnnotationPresent(Put.class)) {
            return Verb.PUT;
        }
        if (m.isAnnotationPresent(Delete.class)) {
            return Verb.DELETE;
        }
        return Verb.POST;
    }

    private static boolean isPublicHttp(Method m) {
        return m.isAnnotationPresent(Get.class) || m.isAnnotationPresent(Put.class)
                || m.isAnnotationPresent(Post.class) || m.isAnnotationPresent(Delete.class);
    }

    public @Nullable MethodBinding get(String name) {
        return methods.get(name);
    }

    /** The methods as published in discovery. */
    public Map<String, MethodInfo> infos() {
        Map<String, MethodInfo> out = new LinkedHashMap<>();
        methods.forEach((k, b) -> out.put(k, new MethodInfo(k, b.verb(), b.publicHttp())));
        return out;
    }
}
