package io.tessera.bench;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code bin/bench NAME [ARGS]}: runs benchmark NAME, the class {@code io.tessera.bench.<name>.<NAME>Bench}
 * with a {@code public static void main(String[])} (e.g. {@code P1} → {@code io.tessera.bench.p1.P1Bench}).
 * Each benchmark lives in its own package and prints its result as a ratio against a peer measured in the
 * same run (see {@link BenchReport}).
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: bin/bench NAME [ARGS...]");
            System.exit(2);
        }
        String name = args[0].toUpperCase(Locale.ROOT);
        Class<?> bench;
        try {
            bench = Class.forName("io.tessera.bench." + name.toLowerCase(Locale.ROOT) + "." + name + "Bench");
        } catch (ClassNotFoundException e) {
            System.err.println("no benchmark named " + name);
            System.exit(2);
            return;
        }
        try {
            bench.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        System.exit(0);
    }
}
