package io.rollcall.emulators.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * What an emulator was asked and what it did, for assertions: requests by method and path (query
 * stripped), and named counters such as {@code throttled}, {@code serverErrors}, {@code dropped} or
 * {@code resourceUnits}.
 */
public final class RequestCounters {

    private final Map<String, LongAdder> byPath = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> named = new ConcurrentHashMap<>();

    /** Counts one request, e.g. {@code ("GET", "/v1.0/users")}. */
    public void request(String method, String path) {
        this.byPath.computeIfAbsent(method + " " + path, key -> new LongAdder()).increment();
    }

    /** Adds to a named counter. */
    public void add(String name, long amount) {
        this.named.computeIfAbsent(name, key -> new LongAdder()).add(amount);
    }

    /** Requests with exactly this method and path. */
    public long requests(String method, String path) {
        LongAdder adder = this.byPath.get(method + " " + path);
        return adder == null ? 0 : adder.sum();
    }

    /** Requests whose {@code "METHOD /path"} key matches. */
    public long requests(Predicate<String> methodAndPath) {
        return this.byPath.entrySet()
            .stream()
            .filter(entry -> methodAndPath.test(entry.getKey()))
            .mapToLong(entry -> entry.getValue().sum())
            .sum();
    }

    /** Requests whose path starts with the prefix (any method). */
    public long requestsUnder(String pathPrefix) {
        return requests(key -> key.substring(key.indexOf(' ') + 1).startsWith(pathPrefix));
    }

    public long total() {
        return requests(key -> true);
    }

    public long get(String name) {
        LongAdder adder = this.named.get(name);
        return adder == null ? 0 : adder.sum();
    }

    /** A copy of every counter, sorted, for logs and debugging. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        this.byPath.forEach((key, value) -> copy.put(key, value.sum()));
        this.named.forEach((key, value) -> copy.put(key, value.sum()));
        return copy;
    }

    public void reset() {
        this.byPath.clear();
        this.named.clear();
    }
}
