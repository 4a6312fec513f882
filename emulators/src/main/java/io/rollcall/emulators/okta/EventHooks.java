package io.rollcall.emulators.okta;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.rollcall.emulators.http.HttpCall;

/**
 * Event hooks: registration with the one-time verification GET, System Log events from admin changes,
 * batched POSTs with the hook's {@code Authorization} value, one retry on 5xx or no answer (as Okta does),
 * and the duplicate/reorder knobs. Every request made is recorded.
 */
final class EventHooks implements AutoCloseable {

    /** A hook and its delivery queue. */
    private static final class Hook {
        final String id;
        final String name;
        final String url;
        final String authorization;
        final Set<String> eventTypes;
        volatile String status = "UNVERIFIED";
        final LinkedBlockingQueue<Map<String, Object>> queue = new LinkedBlockingQueue<>();
        Thread worker;

        Hook(String id, String name, String url, String authorization, Set<String> eventTypes) {
            this.id = id;
            this.name = name;
            this.url = url;
            this.authorization = authorization;
            this.eventTypes = eventTypes;
        }

        EventHook snapshot() {
            return new EventHook(this.id, this.name, this.url, this.authorization, this.eventTypes, this.status);
        }
    }

    private final OktaEmulator emulator;
    private final HttpClient client;
    private final Map<String, Hook> hooks = new ConcurrentHashMap<>();
    private final List<EventHookDelivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicReference<Instant> lastPublished = new AtomicReference<>(Instant.EPOCH);
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    EventHooks(OktaEmulator emulator) {
        this.emulator = emulator;
        this.client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .sslContext(trustAll())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    }

    EventHook register(String url, String authorization, Set<String> eventTypes) {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("The event hook's URL must be http(s)");
        }
        String id = "who" + token(9);
        Hook hook = new Hook(id, "Rollcall", url, authorization, Set.copyOf(eventTypes));
        this.hooks.put(id, hook);
        verify(hook);
        return hook.snapshot();
    }

    /** Runs the verification GET again (Okta's "Verify" button). */
    EventHook verify(String hookId) {
        Hook hook = this.hooks.get(hookId);
        if (hook == null) {
            throw new java.util.NoSuchElementException("No event hook " + hookId);
        }
        verify(hook);
        return hook.snapshot();
    }

    void remove(String hookId) {
        Hook hook = this.hooks.remove(hookId);
        if (hook != null) {
            hook.status = "REMOVED";
            synchronized (hook) {
                if (hook.worker != null) {
                    hook.worker.interrupt();
                }
            }
        }
    }

    List<EventHook> hooks() {
        return this.hooks.values().stream().map(Hook::snapshot).toList();
    }

    List<EventHookDelivery> deliveries() {
        return List.copyOf(this.deliveries);
    }

    boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (this.pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Records a System Log event for a change to a user (and the app, for membership events) and queues it. */
    void emit(String eventType, String displayMessage, OktaUser user, String appId) {
        Instant published = this.lastPublished.updateAndGet(last -> {
            Instant now = this.emulator.clock().instant().truncatedTo(ChronoUnit.MILLIS);
            return now.isAfter(last) ? now : last.plusMillis(1);
        });
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("uuid", UUID.randomUUID().toString());
        event.put("published", published.toString());
        event.put("eventType", eventType);
        event.put("version", "0");
        event.put("displayMessage", displayMessage);
        event.put("severity", "INFO");
        event.put("legacyEventType", null);
        event.put("actor",
                Map.of("id", "00uadmin0000000000rc7", "type", "User", "alternateId", "admin@" + "okta.example",
                        "displayName", "Org Admin"));
        event.put("client", Map.of("ipAddress", "127.0.0.1", "userAgent", Map.of("rawUserAgent", "rollcall-emulator")));
        event.put("outcome", Map.of("result", "SUCCESS"));
        List<Map<String, Object>> targets = new ArrayList<>();
        if (appId != null) {
            targets.add(target(user.id(), "AppUser", user.login(), OktaOrg.displayName(user)));
            targets.add(target(appId, "AppInstance", "Rollcall", "Rollcall"));
        }
        targets.add(target(user.id(), "User", user.login(), OktaOrg.displayName(user)));
        event.put("target", targets);
        event.put("transaction", Map.of("type", "WEB", "id", token(12)));
        this.emulator.counters().add("events", 1);
        for (Hook hook : this.hooks.values()) {
            if (hook.status.equals("VERIFIED") && hook.eventTypes.contains(eventType)) {
                this.pending.incrementAndGet();
                hook.queue.add(event);
                ensureWorker(hook);
            }
        }
    }

    private static Map<String, Object> target(String id, String type, String alternateId, String displayName) {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("id", id);
        target.put("type", type);
        target.put("alternateId", alternateId);
        target.put("displayName", displayName);
        target.put("detailEntry", null);
        return target;
    }

    private void verify(Hook hook) {
        String challenge = token(24);
        Instant sentAt = Instant.now();
        int status = 0;
        boolean ok = false;
        String body = "";
        try {
            HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(URI.create(hook.url))
                .GET()
                .timeout(this.emulator.options().hookTimeout())
                .header("X-Okta-Verification-Challenge", challenge)
                .header("Authorization", hook.authorization == null ? "" : hook.authorization)
                .header("Accept", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            body = response.body();
            ok = status == 200 && challenge.equals(HttpCall.JSON.readTree(body).path("verification").asString(""));
        }
        catch (IOException | RuntimeException ex) {
            body = String.valueOf(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.deliveries.add(new EventHookDelivery(hook.id, "verification", hook.url, List.of(), 1, status,
                Duration.between(sentAt, Instant.now()), sentAt, body));
        hook.status = ok ? "VERIFIED" : "UNVERIFIED";
        if (!ok) {
            throw new IllegalStateException("Event hook verification failed: " + hook.url + " answered " + status
                    + " without echoing the challenge");
        }
    }

    private void ensureWorker(Hook hook) {
        synchronized (hook) {
            if (hook.worker == null && !this.closed) {
                hook.worker = Thread.ofVirtual().name("okta-hook-" + hook.id).start(() -> work(hook));
            }
        }
    }

    private void work(Hook hook) {
        int max = this.emulator.options().hookMaxBatch();
        while (!this.closed && !hook.status.equals("REMOVED")) {
            List<Map<String, Object>> batch = new ArrayList<>();
            try {
                batch.add(hook.queue.take());
                Thread.sleep(this.emulator.options().hookBatchWindow().toMillis());
            }
            catch (InterruptedException ex) {
                this.pending.addAndGet(-(batch.size() + hook.queue.size()));
                return;
            }
            hook.queue.drainTo(batch, max - 1);
            try {
                EventHookFaults.Decision decision = this.emulator.hookFaults().nextBatch();
                if (decision.reorder() && batch.size() > 1) {
                    List<Map<String, Object>> reversed = new ArrayList<>(batch);
                    Collections.reverse(reversed);
                    for (Map<String, Object> event : reversed) {
                        post(hook, List.of(event));
                    }
                }
                else {
                    post(hook, batch);
                }
                if (decision.duplicate()) {
                    this.emulator.counters().add("hookDuplicates", 1);
                    post(hook, batch);
                }
            }
            finally {
                this.pending.addAndGet(-batch.size());
            }
        }
    }

    private void post(Hook hook, List<Map<String, Object>> events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventType", "com.okta.event_hook");
        body.put("eventTypeVersion", "1.0");
        body.put("cloudEventsVersion", "0.1");
        body.put("source", this.emulator.baseUrl() + "/api/v1/eventHooks/" + hook.id);
        body.put("eventId", UUID.randomUUID().toString());
        body.put("data", Map.of("events", events));
        body.put("eventTime", this.emulator.clock().instant().truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("contentType", "application/json");
        String json = HttpCall.JSON.writeValueAsString(body);
        List<String> uuids = events.stream().map(event -> (String) event.get("uuid")).toList();
        // Okta retries once, and only when the hook answered 5xx or did not answer in time.
        for (int attempt = 1; attempt <= 2; attempt++) {
            Instant sentAt = Instant.now();
            int status = 0;
            try {
                HttpResponse<Void> response = this.client.send(HttpRequest.newBuilder(URI.create(hook.url))
                    .timeout(this.emulator.options().hookTimeout())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Authorization", hook.authorization == null ? "" : hook.authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
            }
            catch (IOException ex) {
                status = 0;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            this.deliveries.add(new EventHookDelivery(hook.id, "events", hook.url, uuids, attempt, status,
                    Duration.between(sentAt, Instant.now()), sentAt, json));
            this.emulator.counters().add("hookPosts", 1);
            if (status != 0 && status < 500) {
                return;
            }
        }
        this.emulator.counters().add("hookGivenUp", 1);
    }

    @Override
    public void close() {
        this.closed = true;
        for (Hook hook : this.hooks.values()) {
            synchronized (hook) {
                if (hook.worker != null) {
                    hook.worker.interrupt();
                }
            }
        }
    }

    private String token(int bytes) {
        byte[] value = new byte[bytes];
        this.random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] { new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            } }, new SecureRandom());
            return context;
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
