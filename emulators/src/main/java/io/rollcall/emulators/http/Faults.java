package io.rollcall.emulators.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Fault knobs of an emulator: shares of throttled (429), failed (5xx) and dropped requests, added latency,
 * a share of change notifications that are never delivered, and documented provider errors answered on chosen
 * paths ({@link #answer}). Decisions are a pure function of the seed and the request's sequence number, so the
 * same request sequence meets the same faults on every run. All setters are safe to call while the emulator
 * serves requests.
 */
public final class Faults {

    /** What happens to one request. */
    public enum Fault {
        NONE, THROTTLE, SERVER_ERROR, DROP
    }

    private final long seed;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong notifications = new AtomicLong();
    private volatile double throttleShare;
    private volatile double serverErrorShare;
    private volatile double dropShare;
    private volatile double missedNotificationShare;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration retryAfter = Duration.ofSeconds(1);
    private volatile long outageFrom = Long.MAX_VALUE;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();

    /**
     * A provider error, answered in the emulator's own error format (Okta's {@code errorCode}/{@code errorSummary},
     * Graph's {@code error.code}/{@code error.message}) instead of what the request asked for.
     */
    public record ErrorAnswer(int status, String code, String message) {

        public ErrorAnswer {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("An error answer has a 4xx or 5xx status, got " + status);
            }
            Objects.requireNonNull(code, "code cannot be null");
            Objects.requireNonNull(message, "message cannot be null");
        }

    }

    private record Answer(Pattern path, ErrorAnswer error) {
    }

    public Faults(long seed) {
        this.seed = seed;
    }

    /** Share (0..1) of requests answered 429 with {@code Retry-After}. */
    public Faults throttleShare(double share) {
        this.throttleShare = checkShare(share);
        return this;
    }

    /** Share (0..1) of requests answered with a 503/500/502. */
    public Faults serverErrorShare(double share) {
        this.serverErrorShare = checkShare(share);
        return this;
    }

    /** Share (0..1) of requests whose connection is closed without an answer. */
    public Faults dropShare(double share) {
        this.dropShare = checkShare(share);
        return this;
    }

    /** Share (0..1) of change notifications silently lost. */
    public Faults missedNotificationShare(double share) {
        this.missedNotificationShare = checkShare(share);
        return this;
    }

    /** Delay added before every answer. */
    public Faults latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency cannot be null");
        return this;
    }

    /** The {@code Retry-After} sent with injected 429s (whole seconds, at least 1 on the wire; default 1 s). */
    public Faults retryAfter(Duration retryAfter) {
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
        return this;
    }

    /**
     * Lets the next {@code requests} requests through (subject to the other knobs), then fails every later one
     * with a server error until {@link #reset()}: a run that breaks midway.
     */
    public Faults outageAfter(long requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests cannot be negative");
        }
        this.outageFrom = this.requests.get() + requests + 1;
        return this;
    }

    /**
     * Answers every later request whose path matches {@code pathRegex} in full (e.g.
     * {@code /api/v1/apps/[^/]+/users/[^/]+}) with {@code error}, until {@link #reset()}: a provider refusing one kind
     * of call, every time. Checked after authentication; the first matching rule wins.
     */
    public Faults answer(String pathRegex, ErrorAnswer error) {
        this.answers.add(new Answer(Pattern.compile(Objects.requireNonNull(pathRegex, "pathRegex cannot be null")),
                Objects.requireNonNull(error, "error cannot be null")));
        return this;
    }

    /** The error to answer for a request on {@code path}, when a rule of {@link #answer} matches it. */
    public Optional<ErrorAnswer> answerFor(String path) {
        for (Answer answer : this.answers) {
            if (answer.path().matcher(path).matches()) {
                return Optional.of(answer.error());
            }
        }
        return Optional.empty();
    }

    /**
     * Adds the error answers of an admin request's {@code errorAnswers}: {@code [{"path": regex, "status": 404,
     * "code": "E0000022", "message": "..."}]}; nothing when it is missing.
     */
    public Faults answers(JsonNode rules) {
        if (rules == null || !rules.isArray()) {
            return this;
        }
        for (JsonNode rule : rules) {
            String path = rule.path("path").asString(null);
            if (path == null || path.isBlank()) {
                throw new BadRequest("An error answer needs a path (a regular expression)");
            }
            try {
                answer(path, new ErrorAnswer(rule.path("status").asInt(0), rule.path("code").asString(""),
                        rule.path("message").asString("")));
            }
            catch (IllegalArgumentException ex) {
                throw new BadRequest(ex.getMessage());
            }
        }
        return this;
    }

    /** The error answers, in the order they were set, as the admin API shows them. */
    public List<Map<String, Object>> answersAsMaps() {
        return this.answers.stream()
            .map(a -> Map.<String, Object>of("path", a.path().pattern(), "status", a.error().status(),
                    "code", a.error().code(), "message", a.error().message()))
            .toList();
    }

    /**
     * Replaces every fault by what an admin request's body says: {@code {throttleShare, serverErrorShare, dropShare,
     * missedNotificationShare, latencyMillis, retryAfterSeconds, errorAnswers}}, each off (or its default) when absent.
     */
    public Faults set(JsonNode body) {
        reset();
        throttleShare(body.path("throttleShare").asDouble(0));
        serverErrorShare(body.path("serverErrorShare").asDouble(0));
        dropShare(body.path("dropShare").asDouble(0));
        missedNotificationShare(body.path("missedNotificationShare").asDouble(0));
        latency(Duration.ofMillis(body.path("latencyMillis").asLong(0)));
        retryAfter(Duration.ofSeconds(body.path("retryAfterSeconds").asLong(1)));
        return answers(body.path("errorAnswers"));
    }

    /** The faults as an admin API shows them, in the names {@link #set} takes. */
    public Map<String, Object> asMap() {
        Map<String, Object> state = new java.util.LinkedHashMap<>();
        state.put("throttleShare", this.throttleShare);
        state.put("serverErrorShare", this.serverErrorShare);
        state.put("dropShare", this.dropShare);
        state.put("missedNotificationShare", this.missedNotificationShare);
        state.put("latencyMillis", this.latency.toMillis());
        state.put("retryAfterSeconds", this.retryAfter.toSeconds());
        state.put("errorAnswers", answersAsMaps());
        return state;
    }

    /** Turns every fault off. */
    public Faults reset() {
        this.throttleShare = 0;
        this.serverErrorShare = 0;
        this.dropShare = 0;
        this.missedNotificationShare = 0;
        this.latency = Duration.ZERO;
        this.retryAfter = Duration.ofSeconds(1);
        this.outageFrom = Long.MAX_VALUE;
        this.answers.clear();
        return this;
    }

    public double throttleShare() {
        return this.throttleShare;
    }

    public double serverErrorShare() {
        return this.serverErrorShare;
    }

    public double dropShare() {
        return this.dropShare;
    }

    public double missedNotificationShare() {
        return this.missedNotificationShare;
    }

    public Duration latency() {
        return this.latency;
    }

    public Duration retryAfter() {
        return this.retryAfter;
    }

    /** Decides the fate of the next request. */
    public Fault nextRequest() {
        long n = this.requests.incrementAndGet();
        if (n >= this.outageFrom) {
            return Fault.SERVER_ERROR;
        }
        double roll = roll(n, 0x9E3779B97F4A7C15L);
        double throttle = this.throttleShare;
        double error = throttle + this.serverErrorShare;
        double drop = error + this.dropShare;
        if (roll < throttle) {
            return Fault.THROTTLE;
        }
        if (roll < error) {
            return Fault.SERVER_ERROR;
        }
        if (roll < drop) {
            return Fault.DROP;
        }
        return Fault.NONE;
    }

    /** Decides whether the next change notification is lost. */
    public boolean nextNotificationMissed() {
        return roll(this.notifications.incrementAndGet(), 0xC2B2AE3D27D4EB4FL) < this.missedNotificationShare;
    }

    /** A deterministic value in [0, 1) for the n-th event (SplitMix64 of seed and n). */
    public double roll(long n, long salt) {
        long z = this.seed + n * salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    private static double checkShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("A share is between 0 and 1, got " + share);
        }
        return share;
    }
}
