package io.rollcall.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;

class EntraEmulatorFaultTests {

    private static List<Integer> statuses(long seed, int requests, double throttle, double errors) {
        try (EntraEmulator emulator = EntraEmulator.start(EntraEmulator.Options.defaults().seed(seed))) {
            EntraTenant tenant = emulator.createTenant();
            tenant.generate(DirectorySpec.people(10));
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            emulator.faults().throttleShare(throttle).serverErrorShare(errors);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                GraphTestClient.Response response = client.get("/users?$top=1");
                statuses.add(response.status());
                if (response.status() == 429) {
                    assertThat(response.header("Retry-After")).isEqualTo("1");
                    assertThat(response.json().get("error").get("code").asString()).isEqualTo("TooManyRequests");
                }
            }
            assertThat(emulator.counters().get("throttled")).isEqualTo(statuses.stream().filter(s -> s == 429).count());
            assertThat(emulator.counters().get("serverErrors"))
                .isEqualTo(statuses.stream().filter(s -> s == 503).count());
            return statuses;
        }
    }

    @Test
    void faultsWhenSharesSetThenRoughlyHonoured() {
        List<Integer> statuses = statuses(7, 1_000, 0.10, 0.05);
        long throttled = statuses.stream().filter(s -> s == 429).count();
        long failed = statuses.stream().filter(s -> s == 503).count();
        assertThat(throttled).isBetween(70L, 130L);
        assertThat(failed).isBetween(30L, 70L);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1_000 - throttled - failed);
    }

    @Test
    void faultsWhenSameSeedThenSameSequence() {
        assertThat(statuses(99, 200, 0.2, 0.1)).isEqualTo(statuses(99, 200, 0.2, 0.1));
        assertThat(statuses(99, 200, 0.2, 0.1)).isNotEqualTo(statuses(100, 200, 0.2, 0.1));
    }

    @Test
    void outageAfterWhenCountReachedThenEveryLaterRequestFailsUntilReset() {
        try (EntraEmulator emulator = EntraEmulator.start()) {
            EntraTenant tenant = emulator.createTenant();
            GeneratedDirectory directory = tenant.generate(DirectorySpec.people(50));
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            emulator.faults().outageAfter(2);
            String first = "/groups/" + directory.topGroupId() + "/transitiveMembers?$top=10";
            GraphTestClient.Response page1 = client.get(first);
            GraphTestClient.Response page2 = client.get(page1.json().get("@odata.nextLink").asString());
            assertThat(page2.status()).isEqualTo(200);
            String third = page2.json().get("@odata.nextLink").asString();
            assertThat(client.get(third).status()).isEqualTo(503);
            assertThat(client.get(third).status()).isEqualTo(503);
            emulator.faults().reset();
            assertThat(client.get(third).status()).isEqualTo(200);
        }
    }

    @Test
    void errorAnswersWhenSetOnUsersAndMembershipThenGraphsErrorBodyThereOnlyUntilReset() {
        try (EntraEmulator emulator = EntraEmulator.start()) {
            EntraTenant tenant = emulator.createTenant();
            GeneratedDirectory directory = tenant.generate(DirectorySpec.people(20));
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            String user = directory.memberUserIds().get(3);
            String members = "/groups/" + directory.topGroupId()
                    + "/transitiveMembers/microsoft.graph.user?$count=true";

            emulator.faults()
                .answer(GraphErrors.USER, GraphErrors.UNKNOWN_ERROR_NOT_FOUND)
                .answer(GraphErrors.GROUP_MEMBERS, GraphErrors.AUTHORIZATION_REQUEST_DENIED);
            GraphTestClient.Response coded404 = client.get("/users/" + user + "?$select=id", "client-request-id",
                    "c-1");
            GraphTestClient.Response denied = client.get(members, "ConsistencyLevel", "eventual");
            GraphTestClient.Response group = client.get("/groups/" + directory.topGroupId());
            emulator.faults().reset();
            GraphTestClient.Response after = client.get("/users/" + user);

            assertThat(coded404.status()).isEqualTo(404);
            assertThat(coded404.json().get("error").get("code").asString()).isEqualTo("UnknownError");
            assertThat(coded404.json().get("error").get("innerError").get("client-request-id").asString())
                .isEqualTo("c-1");
            assertThat(coded404.json().get("error").get("innerError").get("request-id").asString())
                .isEqualTo(coded404.header("request-id"));
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.json().get("error").get("code").asString()).isEqualTo("Authorization_RequestDenied");
            assertThat(group.status()).isEqualTo(200);
            assertThat(after.status()).isEqualTo(200);
            assertThat(emulator.counters().get("errorAnswers")).isEqualTo(2);
        }
    }

    @Test
    void userWhenDeletedThenRequestResourceNotFoundNamingIt() {
        try (EntraEmulator emulator = EntraEmulator.start()) {
            EntraTenant tenant = emulator.createTenant();
            GeneratedDirectory directory = tenant.generate(DirectorySpec.people(10));
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            String user = directory.memberUserIds().get(1);
            tenant.deleteUser(user);

            GraphTestClient.Response gone = client.get("/users/" + user);

            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.json().get("error").get("code").asString()).isEqualTo("Request_ResourceNotFound");
            assertThat(gone.json().get("error").get("message").asString())
                .isEqualTo(GraphErrors.resourceNotFound(user).message());
        }
    }

    @Test
    void dropWhenShareIsOneThenConnectionClosedWithoutAnswer() {
        try (EntraEmulator emulator = EntraEmulator.start()) {
            EntraTenant tenant = emulator.createTenant();
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            emulator.faults().dropShare(1.0);
            assertThatThrownBy(() -> client.get("/users")).isInstanceOf(java.io.UncheckedIOException.class);
            emulator.faults().reset();
            assertThat(client.get("/users").status()).isEqualTo(200);
            // The JDK client quietly retries an idempotent GET once after a reset, so one call meets two drops.
            assertThat(emulator.counters().get("dropped")).isBetween(1L, 2L);
        }
    }

    @Test
    void latencyWhenSetThenAnswersTakeAtLeastThatLong() {
        try (EntraEmulator emulator = EntraEmulator.start()) {
            EntraTenant tenant = emulator.createTenant();
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            emulator.faults().latency(Duration.ofMillis(150));
            long start = System.nanoTime();
            assertThat(client.get("/users").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    void resourceUnitsWhenBudgetSpentThen429WithRetryAfterUntilWindowEnds() {
        try (EntraEmulator emulator = EntraEmulator.start()) {
            EntraTenant tenant = emulator.createTenant();
            GeneratedDirectory directory = tenant.generate(DirectorySpec.people(10));
            tenant.resourceUnitLimit(12);
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            String path = "/groups/" + directory.topGroupId() + "/transitiveMembers";
            // Windows are fixed 10-second slices of the clock: start at one's beginning, or the three calls could
            // straddle two windows and all go through (it happened, once in a few runs).
            long intoWindow = Math.floorMod(emulator.clock().instant().toEpochMilli(), 10_000L);
            emulator.clock().advance(Duration.ofMillis(10_000 - intoWindow));
            int ok = 0;
            GraphTestClient.Response last = null;
            for (int i = 0; i < 3; i++) {
                last = client.get(path);
                if (last.status() == 200) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(2);
            assertThat(last.status()).isEqualTo(429);
            assertThat(Integer.parseInt(last.header("Retry-After"))).isBetween(1, 10);
            assertThat(tenant.resourceUnitsSpent()).isEqualTo(10);
            emulator.clock().advance(Duration.ofSeconds(10));
            assertThat(client.get(path).status()).isEqualTo(200);
        }
    }

    @Test
    void httpsWhenEnabledThenTrustAllClientAndEmulatorContextBothWork() throws Exception {
        try (EntraEmulator emulator = EntraEmulator.start(EntraEmulator.Options.defaults().https(true))) {
            assertThat(emulator.graphUrl()).startsWith("https://127.0.0.1:");
            EntraTenant tenant = emulator.createTenant();
            tenant.generate(DirectorySpec.people(5));
            HttpClient trustAll = HttpClient.newBuilder().sslContext(trustAll()).build();
            GraphTestClient client = new GraphTestClient(emulator, trustAll).signIn(tenant);
            assertThat(client.get("/users").json().get("value").size()).isEqualTo(10);
            HttpClient trusting = HttpClient.newBuilder().sslContext(emulator.clientSslContext().orElseThrow()).build();
            assertThat(new GraphTestClient(emulator, trusting).signIn(tenant).get("/users").status()).isEqualTo(200);
            HttpClient strict = HttpClient.newHttpClient();
            assertThatThrownBy(() -> new GraphTestClient(emulator, strict).signIn(tenant))
                .isInstanceOf(java.io.UncheckedIOException.class);
        }
    }

    @Test
    void generateWhenSameSeedThenSameDirectoryAndCredentials() {
        try (EntraEmulator first = EntraEmulator.start(EntraEmulator.Options.defaults().seed(5));
                EntraEmulator second = EntraEmulator.start(EntraEmulator.Options.defaults().seed(5))) {
            EntraTenant a = first.createTenant();
            EntraTenant b = second.createTenant();
            assertThat(a.tenantId()).isEqualTo(b.tenantId());
            assertThat(a.clientSecret()).isEqualTo(b.clientSecret());
            GeneratedDirectory da = a.generate(DirectorySpec.people(300));
            GeneratedDirectory db = b.generate(DirectorySpec.people(300));
            assertThat(da).isEqualTo(db);
            assertThat(a.users()).isEqualTo(b.users());
            assertThat(a.groups()).isEqualTo(b.groups());
            EntraTenant c = first.createTenant();
            assertThat(c.tenantId()).isNotEqualTo(a.tenantId());
            assertThat(c.generate(DirectorySpec.people(300)).topGroupId()).isNotEqualTo(da.topGroupId());
            assertThat(a.photo(da.memberUserIds().get(0))).isEqualTo(a.photo(da.memberUserIds().get(0)));
        }
    }

    private static SSLContext trustAll() throws Exception {
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
        } }, null);
        return context;
    }
}
