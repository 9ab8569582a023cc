package io.iios.core.internal.rpc;

import io.iios.api.CallContext;
import io.iios.api.Verb;
import io.iios.spi.Encoder;
import io.iios.spi.EncodingException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One callable method, bound once by reflection: a spreading {@link MethodHandle} on the service
 * object, the generic parameter types for conversion, and where a {@link CallContext} goes.
 */
public final class MethodBinding {
    private final String name;
    private final Verb verb;
    private final MethodHandle handle;
    private final Type[] params;
    private final Class<?>[] raw;
    /** The parameter classes with primitives boxed (an int parameter accepts an Integer as is). */
    private final Class<?>[] boxed;
    private final int contextIndex;
    private final int arity;
    private final boolean async;
    private final boolean isVoid;
    private final boolean publicHttp;
    private final Type returnType;

    MethodBinding(Object target, Method method, Verb verb, boolean publicHttp) {
        this.publicHttp = publicHttp;
        this.name = method.getName();
        this.verb = verb;
        Type[] generic = method.getGenericParameterTypes();
        Class<?>[] classes = method.getParameterTypes();
        int ctx = -1;
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] == CallContext.class) {
                if (ctx >= 0) {
                    throw new IllegalArgumentException(method + " takes more than one CallContext");
                }
                ctx = i;
            }
        }
        this.contextIndex = ctx;
        this.params = generic;
        this.raw = classes;
        this.boxed = new Class<?>[classes.length];
        for (int i = 0; i < classes.length; i++) {
            boxed[i] = MethodType.methodType(classes[i]).wrap().returnType();
        }
        this.arity = classes.length - (ctx >= 0 ? 1 : 0);
        this.async = CompletionStage.class.isAssignableFrom(method.getReturnType());
        this.isVoid = method.getReturnType() == void.class;
        this.returnType = method.getGenericReturnType();
        try {
            method.setAccessible(true);
            MethodHandle mh = MethodHandles.lookup().unreflect(method).bindTo(target);
            this.handle = mh.asSpreader(Object[].class, classes.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("cannot bind " + method + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public Verb verb() {
        return verb;
    }

    public boolean publicHttp() {
        return publicHttp;
    }

    /** Positional arguments, not counting a CallContext parameter. */
    public int arity() {
        return arity;
    }

    public boolean isAsync() {
        return async;
    }

    /** The declared (generic) return type. */
    public Type returnType() {
        return returnType;
    }

    /**
     * Converts positional wire arguments to the parameter types and slots in the context.
     *
     * @throws BadArguments naming the argument, the expected type and what came
     */
    Object[] bind(List<@Nullable Object> args, CallContext context, Encoder encoder, String service) {
        if (args.size() != arity) {
            throw new BadArguments(service + "." + name + " takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + ", got " + args.size());
        }
        Object[] out = new Object[raw.length];
        int a = 0;
        for (int i = 0; i < raw.length; i++) {
            if (i == contextIndex) {
                out[i] = context;
                continue;
            }
            Object v = args.get(a++);
            out[i] = convert(v, i, a, encoder, service);
        }
        return out;
    }

    /** Replaces the context in arguments made by {@link #bind}; no-op when the method takes none. */
    void setContext(Object[] args, CallContext context) {
        if (contextIndex >= 0) {
            args[contextIndex] = context;
        }
    }

    private @Nullable Object convert(@Nullable Object v, int i, int position, Encoder encoder, String service) {
        Class<?> type = raw[i];
        if (v == null) {
            if (type.isPrimitive()) {
                throw new BadArguments("argument " + position + " of " + service + "." + name + " must be a "
                        + type.getName() + ", got null");
            }
            return null;
        }
        if (type.isInstance(v) && params[i] instanceof Class<?>) {
            return v;
        }
        if (type.isPrimitive() && boxed[i].isInstance(v)) {
            return v;
        }
        try {
            return encoder.convert(v, params[i]);
        } catch (EncodingException e) {
            throw new BadArguments("argument " + position + " of " + service + "." + name + " must be "
                    + params[i].getTypeName() + ", got " + describe(v));
        }
    }

    private static String describe(Object v) {
        String s = String.valueOf(v);
        return v.getClass().getSimpleName() + " " + (s.length() > 40 ? s.substring(0, 40) + "…" : s);
    }

    /** Invokes the method; exceptions thrown by it propagate unchanged. */
    @Nullable Object invoke(Object[] args) throws Throwable {
        Object r = handle.invokeExact(args);
        return isVoid ? null : r;
    }

    /** Arguments that do not fit the method. */
    static final class BadArguments extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArguments(String message) {
            super(message, null, false, false);
        }
    }
}
