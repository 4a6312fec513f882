package io.rollcall.emulators.entra;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.rollcall.emulators.http.HttpCall;
import io.rollcall.emulators.http.LoopbackPost;
import tools.jackson.core.JsonGenerator;

/**
 * Change-notification delivery: validation handshakes, batching, retries with backoff on 5xx and timeouts,
 * lifecycle notifications, and a record of every POST made.
 */
final class Subscriptions implements AutoCloseable {

    /** One pending change notification. */
    record Item(String changeType, String resource, String odataType, String objectId) {
    }

    /** A subscription with its delivery queue; lives in its tenant. */
    static final class State {
        final String id;
        final EntraTenant tenant;
        final String resource;
        final String normalizedResource;
        final Set<String> changeTypes;
        final String notificationUrl;
        final String lifecycleNotificationUrl;
        final String clientState;
        final String applicationId;
        volatile Instant expiration;
        final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        volatile boolean stopped;
        private final List<Thread> workers = new ArrayList<>();

        State(String id, EntraTenant tenant, String resource, Set<String> changeTypes, String notificationUrl,
                String lifecycleNotificationUrl, String clientState, String applicationId, Instant expiration) {
            this.id = id;
            this.tenant = tenant;
            this.resource = resource;
            this.normalizedResource = normalize(resource);
            this.changeTypes = changeTypes;
            this.notificationUrl = notificationUrl;
            this.lifecycleNotificationUrl = lifecycleNotificationUrl;
            this.clientState = clientState;
            this.applicationId = applicationId;
            this.expiration = expiration;
        }

        boolean alive(Instant now) {
            return !this.stopped && this.expiration.isAfter(now);
        }

        GraphSubscription snapshot() {
            return new GraphSubscription(this.id, this.resource, String.join(",", this.changeTypes),
                    this.notificationUrl,
                    this.lifecycleNotificationUrl, this.clientState, this.expiration, this.applicationId);
        }

        void stop() {
            this.stopped = true;
            synchronized (this) {
                this.workers.forEach(Thread::interrupt);
            }
        }

        synchronized void ensureWorkers(Subscriptions owner, int count) {
            while (this.workers.size() < count && !this.stopped) {
                this.workers.add(Thread.ofVirtual()
                    .name("entra-notify-" + this.id + "-" + this.workers.size())
                    .start(() -> owner.work(this)));
            }
        }
    }

    static String normalize(String resource) {
        String value = resource.trim().toLowerCase(Locale.ROOT);
        while (value.startsWith("/")) {
            value = value.substring(1);
        }
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }

    private static final SSLContext TRUST_ALL = trustAll();

    private final EntraEmulator emulator;
    private final HttpClient client;
    private final ExecutorService lifecycleSenders = Executors.newVirtualThreadPerTaskExecutor();
    /** The last {@link #KEPT_DELIVERIES} POSTs; older ones are forgotten so a long benchmark stays bounded. */
    private final java.util.ArrayDeque<NotificationDelivery> deliveries = new java.util.ArrayDeque<>();
    static final int KEPT_DELIVERIES = 100_000;

    Subscriptions(EntraEmulator emulator) {
        this.emulator = emulator;
        this.client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .sslContext(TRUST_ALL)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    }

    List<NotificationDelivery> deliveries() {
        synchronized (this.deliveries) {
            return List.copyOf(this.deliveries);
        }
    }

    /**
     * Graph's validation handshake: POST {@code url?validationToken=...}, expecting 200 and the token echoed
     * within 10 s.
     * @return why it failed, or empty when it passed
     */
    Optional<String> validate(String subscriptionId, String url) {
        String token = "Validation: Testing client application reachability for subscription Request-Id: "
                + UUID.randomUUID();
        String target = url + (url.contains("?") ? "&" : "?") + "validationToken="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        try {
            URI checked = URI.create(target);
            if (checked.getHost() == null
                    || !(checked.getScheme().equals("http") || checked.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not http(s)");
            }
        }
        catch (IllegalArgumentException ex) {
            return Optional.of("The notification URL " + url + " is not a valid absolute http(s) URL.");
        }
        Instant sentAt = this.emulator.clock().instant();
        long start = System.nanoTime();
        try {
            Reply response = send(URI.create(target), "text/plain; charset=utf-8", new byte[0], Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            record(new NotificationDelivery(subscriptionId, "validation", url, 1, 1, response.status(), took, sentAt,
                    ""));
            if (response.status() != 200) {
                return Optional
                    .of("Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request; it answered "
                            + response.status() + ".");
            }
            if (!response.body().equals(token)) {
                return Optional
                    .of("Subscription validation request failed. Response must exactly match validationToken query parameter.");
            }
            String type = response.contentType();
            if (!type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
                return Optional
                    .of("Subscription validation request failed. Response Content-Type must be text/plain, was '" + type
                            + "'.");
            }
            return Optional.empty();
        }
        catch (IOException ex) {
            record(new NotificationDelivery(subscriptionId, "validation", url, 1, 1, 0,
                    Duration.ofNanos(System.nanoTime() - start), sentAt, ""));
            return Optional.of("Subscription validation request failed. " + url + " did not answer within 10 seconds ("
                    + ex.getClass().getSimpleName() + ").");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.of("Subscription validation was interrupted.");
        }
    }

    void userChanged(EntraTenant tenant, String userId, String changeType) {
        for (State state : tenant.subscriptionStates().values()) {
            String resource = state.normalizedResource;
            if ((resource.equals("users") || resource.equals("users/" + userId.toLowerCase(Locale.ROOT)))
                    && state.changeTypes.contains(changeType)) {
                enqueue(state, new Item(changeType, "Users/" + userId, "#Microsoft.Graph.User", userId));
            }
        }
    }

    void groupChanged(EntraTenant tenant, String groupId, boolean membership) {
        String id = groupId.toLowerCase(Locale.ROOT);
        for (State state : tenant.subscriptionStates().values()) {
            String resource = state.normalizedResource;
            boolean matches = resource.equals("groups") || resource.equals("groups/" + id)
                    || (membership && resource.equals("groups/" + id + "/members"));
            if (matches && state.changeTypes.contains("updated")) {
                enqueue(state, new Item("updated", "Groups/" + groupId, "#Microsoft.Graph.Group", groupId));
            }
        }
    }

    /** A deleted group: subscriptions on {@code /groups} or on the group itself that asked for {@code deleted}. */
    void groupDeleted(EntraTenant tenant, String groupId) {
        String id = groupId.toLowerCase(Locale.ROOT);
        for (State state : tenant.subscriptionStates().values()) {
            String resource = state.normalizedResource;
            if ((resource.equals("groups") || resource.equals("groups/" + id))
                    && state.changeTypes.contains("deleted")) {
                enqueue(state, new Item("deleted", "Groups/" + groupId, "#Microsoft.Graph.Group", groupId));
            }
        }
    }

    private void enqueue(State state, Item item) {
        if (!state.alive(this.emulator.clock().instant())) {
            return;
        }
        if (this.emulator.faults().nextNotificationMissed()) {
            this.emulator.counters().add("notificationsMissed", 1);
            return;
        }
        state.queue.add(item);
        state.ensureWorkers(this, this.emulator.options().notificationConcurrency());
    }

    private void work(State state) {
        EntraEmulator.Options options = this.emulator.options();
        while (!state.stopped) {
            try {
                Item first = state.queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                if (!options.notificationBatchWindow().isZero()) {
                    Thread.sleep(options.notificationBatchWindow());
                }
                List<Item> batch = new ArrayList<>();
                batch.add(first);
                state.queue.drainTo(batch, options.notificationMaxBatch() - 1);
                if (!state.alive(this.emulator.clock().instant())) {
                    continue;
                }
                String body = changeBody(state, batch);
                deliver(state, "change", state.notificationUrl, batch.size(), body);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    void sendLifecycle(EntraTenant tenant, State state, String lifecycleEvent) {
        String url = state.lifecycleNotificationUrl;
        if (url == null) {
            return;
        }
        String body = json(json -> {
            json.writeStartObject();
            json.writeArrayPropertyStart("value");
            json.writeStartObject();
            json.writeStringProperty("subscriptionId", state.id);
            json.writeStringProperty("subscriptionExpirationDateTime", state.expiration.toString());
            json.writeStringProperty("tenantId", tenant.tenantId());
            json.writeStringProperty("clientState", state.clientState);
            json.writeStringProperty("lifecycleEvent", lifecycleEvent);
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        });
        this.lifecycleSenders.submit(() -> {
            try {
                deliver(state, "lifecycle", url, 1, body);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** POSTs with retries on 5xx, 429 and no answer; 2xx ends it, other 4xx are given up at once. */
    private void deliver(State state, String kind, String url, int items, String body) throws InterruptedException {
        EntraEmulator.Options options = this.emulator.options();
        Duration backoff = options.notificationRetryBackoff();
        for (int attempt = 1; attempt <= options.notificationMaxAttempts(); attempt++) {
            Instant sentAt = this.emulator.clock().instant();
            long start = System.nanoTime();
            int status;
            try {
                status = send(URI.create(url), "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8),
                        options.notificationTimeout())
                    .status();
            }
            catch (IOException | IllegalArgumentException ex) {
                status = 0;
            }
            record(new NotificationDelivery(state.id, kind, url, items, attempt, status,
                    Duration.ofNanos(System.nanoTime() - start), sentAt, body));
            if (status >= 200 && status < 300) {
                return;
            }
            if (status != 0 && status != 429 && status != 408 && status < 500) {
                return;
            }
            if (attempt < options.notificationMaxAttempts()) {
                Thread.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1)
                        : backoff.multipliedBy(2);
            }
        }
        this.emulator.counters().add("notificationsGivenUp", 1);
    }

    /** What a subscriber answered. */
    record Reply(int status, String contentType, String body) {
    }

    /** POSTs with the JDK client, or over a raw socket for {@code *.localhost} hosts the JDK cannot resolve. */
    private Reply send(URI uri, String contentType, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        if (LoopbackPost.applies(uri)) {
            LoopbackPost.Answer answer = LoopbackPost.post(uri, contentType, body, timeout, TRUST_ALL);
            return new Reply(answer.status(), answer.headers().getOrDefault("content-type", ""), answer.body());
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
        HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    private String changeBody(State state, List<Item> batch) {
        String tenantId = state.tenant.tenantId();
        return json(json -> {
            json.writeStartObject();
            json.writeArrayPropertyStart("value");
            for (Item item : batch) {
                json.writeStartObject();
                json.writeStringProperty("subscriptionId", state.id);
                json.writeStringProperty("subscriptionExpirationDateTime", state.expiration.toString());
                json.writeStringProperty("changeType", item.changeType());
                json.writeStringProperty("resource", item.resource());
                json.writeObjectPropertyStart("resourceData");
                json.writeStringProperty("@odata.type", item.odataType());
                json.writeStringProperty("@odata.id", item.resource());
                json.writeStringProperty("id", item.objectId());
                json.writeEndObject();
                json.writeStringProperty("clientState", state.clientState);
                json.writeStringProperty("tenantId", tenantId);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private void record(NotificationDelivery delivery) {
        synchronized (this.deliveries) {
            if (this.deliveries.size() == KEPT_DELIVERIES) {
                this.deliveries.removeFirst();
            }
            this.deliveries.addLast(delivery);
        }
        this.emulator.counters().add("deliveries." + delivery.kind(), 1);
    }

    private static String json(HttpCall.JsonBody body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = HttpCall.JSON.createGenerator(out)) {
            body.write(json);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return out.toString();
    }

    /** Subscribers in tests and the demo often serve self-signed TLS; Graph's own trust store is not the point here. */
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
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        this.lifecycleSenders.shutdownNow();
        this.client.close();
    }
}
