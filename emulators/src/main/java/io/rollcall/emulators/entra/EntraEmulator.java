package io.rollcall.emulators.entra;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import io.rollcall.emulators.EmulatorClock;
import io.rollcall.emulators.http.EmulatorOptions;
import io.rollcall.emulators.http.EmulatorServer;
import io.rollcall.emulators.http.Faults;
import io.rollcall.emulators.http.HttpCall;
import io.rollcall.emulators.http.RequestCounters;

/**
 * A stand-in for Microsoft Entra ID: the login service (client-credentials tokens, admin consent, OpenID
 * Connect) and Microsoft Graph v1.0 (users, groups, delta, subscriptions with real notification delivery),
 * on one local HTTP or HTTPS port.
 *
 * <pre>{@code
 * try (EntraEmulator entra = EntraEmulator.start(EntraEmulator.Options.defaults())) {
 *     EntraTenant tenant = entra.createTenant();
 *     GeneratedDirectory directory = tenant.generate(DirectorySpec.people(300));
 *     // point a client at entra.authority() and entra.graphUrl() with tenant.tenantId(),
 *     // tenant.clientId(), tenant.clientSecret() and directory.topGroupId()
 * }
 * }</pre>
 */
public final class EntraEmulator implements AutoCloseable {

    /** Start-up settings; every setter returns this options object. */
    public static final class Options extends EmulatorOptions<Options> {
        private EmulatorClock clock = EmulatorClock.system();
        private boolean autoApproveConsent = true;
        private boolean consentGrantedOnCreate = true;
        private Duration accessTokenLifetime = Duration.ofSeconds(3599);
        private Duration notificationBatchWindow = Duration.ofMillis(20);
        private int notificationMaxBatch = 100;
        private Duration notificationTimeout = Duration.ofSeconds(10);
        private Duration notificationRetryBackoff = Duration.ofSeconds(1);
        private int notificationMaxAttempts = 6;
        private int notificationConcurrency = 1;

        private Options() {
        }

        /** Port 0 (a free one), plain HTTP on loopback, the system clock, seed 42, consent granted and auto-approved. */
        public static Options defaults() {
            return new Options();
        }

        /** The clock behind token, subscription and delta-token expiry and resource-unit windows. */
        public Options clock(EmulatorClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock cannot be null");
            return this;
        }

        /** When true (default) the admin-consent URL approves at once; when false it shows an Accept/Cancel page. */
        public Options autoApproveConsent(boolean autoApprove) {
            this.autoApproveConsent = autoApprove;
            return this;
        }

        /** When true (default) new tenants start with admin consent granted; false makes clients go through consent. */
        public Options consentGrantedOnCreate(boolean granted) {
            this.consentGrantedOnCreate = granted;
            return this;
        }

        public Options accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = Objects.requireNonNull(lifetime, "lifetime cannot be null");
            return this;
        }

        /** How long changes are collected into one notification POST (default 20 ms). */
        public Options notificationBatchWindow(Duration window) {
            this.notificationBatchWindow = Objects.requireNonNull(window, "window cannot be null");
            return this;
        }

        /** Most notifications in one POST (default 100). */
        public Options notificationMaxBatch(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max must be positive");
            }
            this.notificationMaxBatch = max;
            return this;
        }

        /** How long a subscriber may take to answer a notification before it counts as a failure (default 10 s). */
        public Options notificationTimeout(Duration timeout) {
            this.notificationTimeout = Objects.requireNonNull(timeout, "timeout cannot be null");
            return this;
        }

        /** First wait before re-sending a failed notification, doubled each time up to a minute (default 1 s). */
        public Options notificationRetryBackoff(Duration backoff) {
            this.notificationRetryBackoff = Objects.requireNonNull(backoff, "backoff cannot be null");
            return this;
        }

        /** Attempts per notification POST, the first included (default 6). */
        public Options notificationMaxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be positive");
            }
            this.notificationMaxAttempts = attempts;
            return this;
        }

        /**
         * POSTs in flight at once per subscription (default 1, which keeps them in order). Raise it to push
         * hundreds of deliveries per second at a webhook receiver; order is then not guaranteed, as in Graph.
         */
        public Options notificationConcurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be positive");
            }
            this.notificationConcurrency = concurrency;
            return this;
        }

        int notificationConcurrency() {
            return this.notificationConcurrency;
        }

        EmulatorClock clock() {
            return this.clock;
        }

        boolean autoApproveConsent() {
            return this.autoApproveConsent;
        }

        Duration accessTokenLifetime() {
            return this.accessTokenLifetime;
        }

        Duration notificationBatchWindow() {
            return this.notificationBatchWindow;
        }

        int notificationMaxBatch() {
            return this.notificationMaxBatch;
        }

        Duration notificationTimeout() {
            return this.notificationTimeout;
        }

        Duration notificationRetryBackoff() {
            return this.notificationRetryBackoff;
        }

        int notificationMaxAttempts() {
            return this.notificationMaxAttempts;
        }
    }

    /** An access token the login service issued. */
    record IssuedToken(EntraTenant tenant, String clientId, Instant expiresAt) {
    }

    private final Options options;
    private final EmulatorClock clock;
    private final Faults faults;
    private final RequestCounters counters = new RequestCounters();
    private final SplittableRandom random;
    private final Map<String, EntraTenant> tenantsById = new ConcurrentHashMap<>();
    private final Map<String, EntraTenant> tenantsByDomain = new ConcurrentHashMap<>();
    private final List<EntraTenant> tenantOrder = new ArrayList<>();
    private final Map<String, IssuedToken> accessTokens = new ConcurrentHashMap<>();
    private final RSAKey signingKey;
    private final Subscriptions subscriptions;
    private final GraphApi graph;
    private final LoginApi login;
    private final AdminApi admin;
    private final EmulatorServer server;

    private EntraEmulator(Options options) {
        this.options = options;
        this.clock = options.clock;
        this.faults = new Faults(options.seed());
        this.random = new SplittableRandom(options.seed());
        try {
            this.signingKey = new RSAKeyGenerator(2048).keyID("emulator-" + Long.toHexString(options.seed()))
                .generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Could not generate the emulator's signing key", ex);
        }
        this.subscriptions = new Subscriptions(this);
        this.graph = new GraphApi(this);
        this.login = new LoginApi(this);
        this.admin = new AdminApi(this);
        this.server = options.startServer(this::route);
    }

    /** Starts an emulator; close it when done. */
    public static EntraEmulator start(Options options) {
        Objects.requireNonNull(options, "options cannot be null");
        return new EntraEmulator(options);
    }

    /** Starts an emulator with {@link Options#defaults()}. */
    public static EntraEmulator start() {
        return start(Options.defaults());
    }

    private void route(HttpCall call) throws Exception {
        String first = call.segment(0);
        if ("v1.0".equals(first)) {
            this.graph.handle(call);
        }
        else if ("_emulator".equals(first)) {
            this.admin.handle(call);
        }
        else {
            this.login.handle(call);
        }
    }

    // ---- addresses ----

    /** {@code http(s)://127.0.0.1:port}: the server root. */
    public String baseUrl() {
        return this.server.baseUrl();
    }

    /**
     * The login authority, like {@code https://login.microsoftonline.com}: tokens at
     * {@code {authority}/{tenant}/oauth2/v2.0/token}, admin consent at {@code {authority}/{tenant}/adminconsent}.
     */
    public String authority() {
        return this.server.baseUrl();
    }

    /** The Graph base, like {@code https://graph.microsoft.com/v1.0}. */
    public String graphUrl() {
        return this.server.baseUrl() + "/v1.0";
    }

    /** The token endpoint of a tenant. */
    public String tokenUrl(String tenantId) {
        return authority() + "/" + tenantId + "/oauth2/v2.0/token";
    }

    /** The admin HTTP API's base ({@code /_emulator}). */
    public String adminUrl() {
        return this.server.baseUrl() + "/_emulator";
    }

    public int port() {
        return this.server.port();
    }

    /** For an HTTPS emulator, a client SSL context that trusts its self-signed certificate. */
    public Optional<SSLContext> clientSslContext() {
        return this.server.clientSslContext();
    }

    // ---- tenants ----

    /** Creates a tenant with an app registration, domain {@code tenantN.example} and no users. */
    public EntraTenant createTenant() {
        synchronized (this.tenantOrder) {
            return createTenant("tenant" + (this.tenantOrder.size() + 1) + ".example");
        }
    }

    /** Creates a tenant whose primary domain is {@code domain} (also usable in place of its id at login). */
    public EntraTenant createTenant(String domain) {
        Objects.requireNonNull(domain, "domain cannot be null");
        synchronized (this.tenantOrder) {
            String key = domain.toLowerCase(Locale.ROOT);
            if (this.tenantsByDomain.containsKey(key)) {
                throw new IllegalArgumentException("A tenant with domain " + domain + " already exists");
            }
            EntraTenant tenant = new EntraTenant(this, this.random.nextLong(), domain,
                    this.options.consentGrantedOnCreate);
            this.tenantsById.put(tenant.tenantId(), tenant);
            this.tenantsByDomain.put(key, tenant);
            this.tenantOrder.add(tenant);
            return tenant;
        }
    }

    /** A tenant by id or domain. */
    public Optional<EntraTenant> tenant(String idOrDomain) {
        EntraTenant tenant = this.tenantsById.get(idOrDomain.toLowerCase(Locale.ROOT));
        return Optional
            .ofNullable(tenant != null ? tenant : this.tenantsByDomain.get(idOrDomain.toLowerCase(Locale.ROOT)));
    }

    public List<EntraTenant> tenants() {
        synchronized (this.tenantOrder) {
            return List.copyOf(this.tenantOrder);
        }
    }

    // ---- knobs and observations ----

    /** Fault injection for Graph requests and notifications; change it at any time. */
    public Faults faults() {
        return this.faults;
    }

    /**
     * Requests by method and path ({@code counters().requests("GET", "/v1.0/users")}) and named counters:
     * {@code throttled} (429s given, injected or by budget), {@code serverErrors}, {@code dropped},
     * {@code resourceUnits}, {@code tokensIssued}, {@code notificationsMissed}, {@code notificationsGivenUp},
     * {@code deliveries.change|lifecycle|validation}.
     */
    public RequestCounters counters() {
        return this.counters;
    }

    public EmulatorClock clock() {
        return this.clock;
    }

    /** Every POST made to subscribers of any tenant, oldest first. */
    public List<NotificationDelivery> deliveries() {
        return this.subscriptions.deliveries();
    }

    @Override
    public void close() {
        this.server.close();
        this.subscriptions.close();
        for (EntraTenant tenant : tenants()) {
            for (String id : List.copyOf(tenant.subscriptionStates().keySet())) {
                tenant.removeSubscription(id);
            }
        }
    }

    // ---- internals ----

    Options options() {
        return this.options;
    }

    Subscriptions subscriptions() {
        return this.subscriptions;
    }

    LoginApi login() {
        return this.login;
    }

    RSAKey signingKey() {
        return this.signingKey;
    }

    Map<String, IssuedToken> accessTokens() {
        return this.accessTokens;
    }

    /** The tenant a client names at login: its id, its domain, or (for multi-tenant endpoints) the app's home. */
    Optional<EntraTenant> tenantForLogin(String tenantSegment, String clientId) {
        String segment = tenantSegment.toLowerCase(Locale.ROOT);
        if ((segment.equals("common") || segment.equals("organizations")) && clientId != null) {
            return tenants().stream().filter(tenant -> tenant.clientId().equals(clientId)).findFirst();
        }
        return tenant(segment);
    }
}
