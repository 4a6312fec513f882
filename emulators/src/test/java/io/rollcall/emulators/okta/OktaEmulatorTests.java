package io.rollcall.emulators.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import io.rollcall.emulators.EmulatorClock;
import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

class OktaEmulatorTests {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private OktaEmulator okta;
    private OktaOrg org;

    @BeforeEach
    void start() {
        this.okta = OktaEmulator.start(OktaEmulator.Options.defaults().rateLimitWindow(Duration.ofSeconds(2)));
        this.org = this.okta.org();
    }

    @AfterEach
    void stop() {
        this.okta.close();
    }

    @Test
    void appUsersWhenPagedByLinkThenEachAssignedUserOnceWithEmbeddedProfile() throws Exception {
        GeneratedOrg generated = this.org.generate(OrgSpec.people(230));
        List<String> seen = new ArrayList<>();
        String url = this.org.orgUrl() + "/api/v1/apps/" + generated.appId() + "/users?limit=50&expand=user";
        int pages = 0;
        while (url != null) {
            HttpResponse<String> response = get(url, "SSWS " + this.org.apiToken());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Rate-Limit-Remaining")).isPresent();
            for (JsonNode appUser : HttpCall.JSON.readTree(response.body())) {
                JsonNode user = appUser.path("_embedded").path("user");
                assertThat(user.path("id").asString()).isEqualTo(appUser.path("id").asString()).startsWith("00u");
                assertThat(user.path("profile").path("email").asString()).contains("@example.com");
                seen.add(user.path("id").asString());
            }
            url = next(response);
            pages++;
        }
        assertThat(seen).containsExactlyElementsOf(generated.assignedUserIds());
        assertThat(generated.assignedUserIds().size()).isLessThan(230).isGreaterThan(180);
        assertThat(pages).isEqualTo((seen.size() + 49) / 50);
        OktaUser someone = this.org.user(generated.assignedUserIds().get(20)).orElseThrow();
        assertThat(someone.profile("managerId")).isNotNull();
        assertThat(this.org.user(someone.profile("managerId")).orElseThrow().profile("displayName"))
            .isEqualTo(someone.profile("manager"));
    }

    @Test
    void usersWhenSearchedByEmailOrFetchedByLoginThenFound() throws Exception {
        OktaUser ada = this.org
            .createUser(Map.of("email", "ada@example.com", "firstName", "Ada", "lastName", "Lovelace"), true);
        String search = URLEncoder.encode("profile.email eq \"ADA@example.com\"", StandardCharsets.UTF_8);
        HttpResponse<String> found = get(this.org.orgUrl() + "/api/v1/users?search=" + search,
                "SSWS " + this.org.apiToken());
        assertThat(HttpCall.JSON.readTree(found.body()).get(0).path("id").asString()).isEqualTo(ada.id());
        HttpResponse<String> byLogin = get(this.org.orgUrl() + "/api/v1/users/ada@example.com",
                "SSWS " + this.org.apiToken());
        assertThat(HttpCall.JSON.readTree(byLogin.body()).path("status").asString()).isEqualTo("ACTIVE");
        HttpResponse<String> bad = get(
                this.org.orgUrl() + "/api/v1/users?search="
                        + URLEncoder.encode("profile.email = x", StandardCharsets.UTF_8),
                "SSWS " + this.org.apiToken());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(get(this.org.orgUrl() + "/api/v1/users/nobody", "SSWS " + this.org.apiToken()).statusCode())
            .isEqualTo(404);
    }

    @Test
    void usersWhenFilteredByIdsJoinedWithOrThenExactlyThoseInIdOrderPagedAndDeactivatedIncluded() throws Exception {
        GeneratedOrg generated = this.org.generate(OrgSpec.people(40));
        List<String> wanted = new ArrayList<>(generated.userIds().subList(5, 12));
        this.org.deactivate(wanted.get(0));
        StringBuilder filter = new StringBuilder();
        for (String id : wanted) {
            filter.append(filter.isEmpty() ? "" : " or ").append("id eq \"").append(id).append('"');
        }
        filter.append(" or id eq \"00unobody0000000000\" or id eq \"").append(wanted.get(1).toLowerCase()).append('"');

        List<String> seen = new ArrayList<>();
        String url = this.org.orgUrl() + "/api/v1/users?limit=4&filter="
                + URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8);
        int pages = 0;
        while (url != null) {
            HttpResponse<String> response = get(url, "SSWS " + this.org.apiToken());
            assertThat(response.statusCode()).isEqualTo(200);
            for (JsonNode user : HttpCall.JSON.readTree(response.body())) {
                seen.add(user.path("id").asString());
                if (user.path("id").asString().equals(wanted.get(0))) {
                    assertThat(user.path("status").asString()).isEqualTo("DEPROVISIONED");
                }
            }
            url = next(response);
            pages++;
        }

        // Ids are compared exactly (an id in other letter case is another id), and the unknown one is simply absent.
        assertThat(seen).containsExactlyElementsOf(wanted.stream().sorted().toList());
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void managementApiWhenTokenWrongOrScopeMissingThenRefused() throws Exception {
        assertThat(get(this.org.orgUrl() + "/api/v1/users", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get(this.org.orgUrl() + "/api/v1/users", "SSWS nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(HttpCall.JSON.readTree(wrong.body()).path("errorCode").asString()).isEqualTo("E0000011");
        String usersOnly = serviceToken("okta.users.read");
        assertThat(get(this.org.orgUrl() + "/api/v1/users", "Bearer " + usersOnly).statusCode()).isEqualTo(200);
        assertThat(get(this.org.orgUrl() + "/api/v1/apps/" + this.org.appId() + "/users", "Bearer " + usersOnly)
            .statusCode()).isEqualTo(403);
        String both = serviceToken("okta.users.read okta.apps.read");
        assertThat(
                get(this.org.orgUrl() + "/api/v1/apps/" + this.org.appId() + "/users", "Bearer " + both).statusCode())
            .isEqualTo(200);
        HttpResponse<String> badSecret = post(this.org.orgUrl() + "/oauth2/v1/token",
                "grant_type=client_credentials&scope=okta.users.read&client_id="
                        + this.org.serviceClientId() + "&client_secret=wrong");
        assertThat(badSecret.statusCode()).isEqualTo(401);
    }

    @Test
    void appUserWhenNotAssignedThenE0000007NamingTheAppUserInOktasErrorBody() throws Exception {
        GeneratedOrg generated = this.org.generate(OrgSpec.people(10).withAssignedShare(1.0));
        OktaUser outsider = this.org.createUser(Map.of("email", "out@example.com"), true);

        HttpResponse<String> response = get(
                this.org.orgUrl() + "/api/v1/apps/" + generated.appId() + "/users/" + outsider.id(),
                "SSWS " + this.org.apiToken());
        HttpResponse<String> wrongApp = get(this.org.orgUrl() + "/api/v1/apps/0oanope/users/" + outsider.id(),
                "SSWS " + this.org.apiToken());

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = HttpCall.JSON.readTree(response.body());
        assertThat(body.path("errorCode").asString()).isEqualTo("E0000007");
        assertThat(body.path("errorSummary").asString())
            .isEqualTo("Not found: Resource not found: " + outsider.id() + " (AppUser)");
        assertThat(body.path("errorLink").asString()).isEqualTo("E0000007");
        assertThat(body.path("errorId").asString()).startsWith("oae");
        assertThat(body.path("errorCauses").isArray()).isTrue();
        assertThat(HttpCall.JSON.readTree(wrongApp.body()).path("errorSummary").asString())
            .endsWith("0oanope (AppInstance)");
        HttpResponse<String> noSuchEndpoint = get(this.org.orgUrl() + "/api/v1/nothing/here",
                "SSWS " + this.org.apiToken());
        assertThat(noSuchEndpoint.statusCode()).isEqualTo(404);
        assertThat(HttpCall.JSON.readTree(noSuchEndpoint.body()).path("errorCode").asString())
            .as("an endpoint Okta does not have is not a missing resource")
            .isEqualTo("E0000022");
    }

    @Test
    void faultsWhenErrorAnswerSetOnTheAppUserReadThenOnlyThatPathAnswersItUntilReset() throws Exception {
        GeneratedOrg generated = this.org.generate(OrgSpec.people(10).withAssignedShare(1.0));
        String user = generated.assignedUserIds().get(2);
        String appUser = this.org.orgUrl() + "/api/v1/apps/" + generated.appId() + "/users/" + user + "?expand=user";
        String token = "SSWS " + this.org.apiToken();

        this.okta.faults().answer(OktaErrors.APP_USER, OktaErrors.E0000022);
        HttpResponse<String> unsupported = get(appUser, token);
        HttpResponse<String> list = get(this.org.orgUrl() + "/api/v1/apps/" + generated.appId() + "/users", token);
        HttpResponse<String> byId = get(this.org.orgUrl() + "/api/v1/users/" + user, token);
        this.okta.faults().reset().answer(OktaErrors.APP_USER, OktaErrors.E0000006);
        HttpResponse<String> denied = get(appUser, token);
        HttpResponse<String> wrongToken = get(appUser, "SSWS nope");
        this.okta.faults().reset();
        HttpResponse<String> after = get(appUser, token);

        assertThat(unsupported.statusCode()).isEqualTo(404);
        assertThat(HttpCall.JSON.readTree(unsupported.body()).path("errorCode").asString()).isEqualTo("E0000022");
        assertThat(HttpCall.JSON.readTree(unsupported.body()).path("errorSummary").asString())
            .isEqualTo("The endpoint does not support the provided HTTP method");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(HttpCall.JSON.readTree(denied.body()).path("errorCode").asString()).isEqualTo("E0000006");
        assertThat(HttpCall.JSON.readTree(wrongToken.body()).path("errorCode").asString())
            .as("authentication comes first")
            .isEqualTo("E0000011");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(this.okta.counters().get("errorAnswers")).isEqualTo(2);
    }

    @Test
    void faultsWhenErrorAnswersSetThroughTheAdminApiThenAnsweredAndShown() throws Exception {
        GeneratedOrg generated = this.org.generate(OrgSpec.people(4).withAssignedShare(1.0));
        HttpResponse<String> set = postJson(this.okta.adminUrl() + "/faults",
                "{\"errorAnswers\":[{\"path\":\"/api/v1/apps/[^/]+/users/[^/]+\",\"status\":404,\"code\":\"E0000022\","
                        + "\"message\":\"The endpoint does not support the provided HTTP method\"}]}");
        HttpResponse<String> bad = postJson(this.okta.adminUrl() + "/faults",
                "{\"errorAnswers\":[{\"path\":\"/x\",\"status\":200}]}");

        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(HttpCall.JSON.readTree(set.body()).path("errorAnswers").get(0).path("code").asString())
            .isEqualTo("E0000022");
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> answered = get(this.org.orgUrl() + "/api/v1/apps/" + generated.appId() + "/users/"
                + generated.assignedUserIds().get(0), "SSWS " + this.org.apiToken());
        assertThat(answered.statusCode()).as("a refused admin request leaves no answer of its own").isEqualTo(200);
    }

    @Test
    void requestsWhenOverTheBudgetThen429WithResetHeader() throws Exception {
        this.okta.rateLimits().limit(3);
        int throttled = 0;
        long reset = 0;
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> response = get(this.org.orgUrl() + "/api/v1/users", "SSWS " + this.org.apiToken());
            if (response.statusCode() == 429) {
                throttled++;
                reset = Long.parseLong(response.headers().firstValue("X-Rate-Limit-Reset").orElseThrow());
                assertThat(response.headers().firstValue("X-Rate-Limit-Remaining")).hasValue("0");
            }
        }
        // A 2 s window rolls over at most once during the loop: 8 calls over a budget of 3 meet at least two 429s.
        assertThat(throttled).isBetween(2, 5);
        assertThat(reset).isGreaterThanOrEqualTo(System.currentTimeMillis() / 1000)
            .isLessThanOrEqualTo(System.currentTimeMillis() / 1000 + 2);
        assertThat(this.okta.counters().get("throttled")).isEqualTo(throttled);
    }

    @Test
    void signInWhenCodeFlowWithPkceThenIdTokenNamesTheOktaUser() throws Exception {
        GeneratedOrg generated = this.org.generate(OrgSpec.people(20));
        OktaUser user = this.org.user(generated.assignedUserIds().get(3)).orElseThrow();
        this.org.createAuthorizationServer("default");
        for (String issuer : List.of(this.org.orgUrl(), this.org.orgUrl() + "/oauth2/default")) {
            JsonNode discovery = HttpCall.JSON.readTree(get(issuer + "/.well-known/openid-configuration", null).body());
            assertThat(discovery.path("issuer").asString()).isEqualTo(issuer);
            String verifier = "verifier-" + "x".repeat(40);
            String challenge = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            String redirect = "http://app.test/callback";
            HttpResponse<String> authorize = get(
                    discovery.path("authorization_endpoint").asString() + "?response_type=code&client_id="
                            + this.org.appClientId() + "&redirect_uri=" + redirect
                            + "&scope=openid%20email%20profile&state=s1&nonce=n1"
                            + "&code_challenge=" + challenge + "&code_challenge_method=S256&login_hint=" + user.login(),
                    null);
            assertThat(authorize.statusCode()).isEqualTo(302);
            String location = authorize.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(redirect + "?code=").contains("state=s1");
            String code = HttpCall.parseForm(URI.create(location).getRawQuery()).get("code");
            HttpResponse<String> token = post(discovery.path("token_endpoint").asString(),
                    "grant_type=authorization_code&code=" + code
                            + "&redirect_uri=" + redirect + "&client_id=" + this.org.appClientId() + "&code_verifier="
                            + verifier);
            assertThat(token.statusCode()).isEqualTo(200);
            SignedJWT idToken = SignedJWT.parse(HttpCall.JSON.readTree(token.body()).path("id_token").asString());
            RSAKey key = (RSAKey) JWKSet.parse(get(discovery.path("jwks_uri").asString(), null).body())
                .getKeys()
                .get(0);
            assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();
            assertThat(idToken.getJWTClaimsSet().getSubject()).isEqualTo(user.id());
            assertThat(idToken.getJWTClaimsSet().getIssuer()).isEqualTo(issuer);
            assertThat(idToken.getJWTClaimsSet().getStringClaim("email")).isEqualTo(user.email());
            assertThat(idToken.getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo(user.login());
            assertThat(idToken.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n1");
        }
        String outsider = generated.userIds()
            .stream()
            .filter(id -> !generated.assignedUserIds().contains(id))
            .findFirst()
            .orElseThrow();
        HttpResponse<String> refused = get(
                this.org.orgUrl() + "/oauth2/v1/authorize?response_type=code&client_id=" + this.org.appClientId()
                        + "&redirect_uri=http://app.test/cb&scope=openid&login_hint=" + outsider,
                null);
        assertThat(refused.headers().firstValue("Location").orElseThrow()).contains("error=access_denied");
    }

    @Test
    void eventHookWhenRegisteredThenVerifiedAndAdminChangesDeliveredWithTheSecret() throws Exception {
        try (HookReceiver receiver = new HookReceiver()) {
            EventHook hook = this.org.registerEventHook(receiver.url(), "hook-secret");
            assertThat(hook.verificationStatus()).isEqualTo("VERIFIED");
            OktaUser user = this.org
                .createUser(Map.of("email", "new@example.com", "firstName", "New", "lastName", "Person"), true);
            this.org.assign(user.id());
            this.org.updateProfile(user.id(), Map.of("title", "Lead"));
            this.org.suspend(user.id());
            this.org.unsuspend(user.id());
            this.org.unassign(user.id());
            this.org.deleteUser(user.id());
            assertThat(this.org.awaitDeliveries(Duration.ofSeconds(10))).isTrue();
            List<String> types = receiver.events().stream().map(event -> event.path("eventType").asString()).toList();
            assertThat(types).containsExactly("user.lifecycle.create", "user.lifecycle.activate",
                    "application.user_membership.add",
                    "user.account.update_profile", "user.lifecycle.suspend", "user.lifecycle.unsuspend",
                    "application.user_membership.remove", "user.lifecycle.deactivate",
                    "user.lifecycle.delete.initiated");
            assertThat(receiver.authorizations()).allMatch("hook-secret"::equals);
            JsonNode body = receiver.bodies().get(0);
            assertThat(body.path("eventType").asString()).isEqualTo("com.okta.event_hook");
            assertThat(body.path("cloudEventsVersion").asString()).isEqualTo("0.1");
            JsonNode first = receiver.events().get(0);
            assertThat(first.path("uuid").asString()).isNotBlank();
            assertThat(first.path("outcome").path("result").asString()).isEqualTo("SUCCESS");
            assertThat(first.path("target").get(0).path("id").asString()).isEqualTo(user.id());
            List<String> published = receiver.events()
                .stream()
                .map(event -> event.path("published").asString())
                .toList();
            assertThat(new HashSet<>(published)).hasSize(published.size());
        }
    }

    @Test
    void eventHookWhenVerificationNotEchoedThenRegistrationFails() throws Exception {
        try (HookReceiver receiver = new HookReceiver()) {
            receiver.echo(false);
            assertThatThrownBy(() -> this.org.registerEventHook(receiver.url(), "s"))
                .isInstanceOf(IllegalStateException.class);
            this.org.createUser(Map.of("email", "x@example.com"), true);
            Thread.sleep(100);
            assertThat(receiver.bodies()).isEmpty();
        }
    }

    @Test
    void eventHookWhenDuplicatingReorderingAndFailingOnceThenEveryEventArrivesAtLeastOnce() throws Exception {
        try (HookReceiver receiver = new HookReceiver()) {
            this.org.registerEventHook(receiver.url(), "s");
            this.okta.hookFaults().duplicateShare(1.0).reorderShare(1.0);
            receiver.failNext(1);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                this.org.createUser(Map.of("email", "p" + i + "@example.com"), false);
            }
            assertThat(this.org.awaitDeliveries(Duration.ofSeconds(10))).isTrue();
            List<JsonNode> events = receiver.events();
            events.forEach(event -> expected.add(event.path("uuid").asString()));
            assertThat(expected).hasSize(5);
            assertThat(events.size()).isGreaterThan(5);
            List<String> published = events.stream().map(event -> event.path("published").asString()).toList();
            assertThat(published).isNotEqualTo(published.stream().sorted().toList());
            assertThat(this.org.deliveries().stream().filter(delivery -> delivery.attempt() == 2)).isNotEmpty();
        }
    }

    @Test
    void adminHttpApiWhenUsedThenChangesTheOrg() throws Exception {
        HttpResponse<String> generated = postJson(this.okta.adminUrl() + "/generate",
                "{\"people\":10,\"assignedShare\":1.0}");
        assertThat(generated.statusCode()).isEqualTo(201);
        assertThat(this.org.assignedUserIds()).hasSize(10);
        HttpResponse<String> created = postJson(this.okta.adminUrl() + "/users",
                "{\"profile\":{\"email\":\"z@example.com\"},\"assign\":true}");
        String id = HttpCall.JSON.readTree(created.body()).path("id").asString();
        assertThat(this.org.assigned(id)).isTrue();
        postJson(this.okta.adminUrl() + "/users/" + id + "/lifecycle/deactivate", "{}");
        assertThat(this.org.user(id).orElseThrow().status()).isEqualTo("DEPROVISIONED");
        String pictureUrl = this.org.users()
            .stream()
            .map(user -> user.profile("pictureUrl"))
            .filter(url -> url != null)
            .findFirst()
            .orElseThrow();
        HttpResponse<byte[]> picture = this.http.send(HttpRequest.newBuilder(URI.create(pictureUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(picture.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(picture.body()[0]).isEqualTo((byte) 0xFF);
    }

    @Test
    void generateWhenSameSeedThenSameOrg() {
        try (OktaEmulator other = OktaEmulator.start(OktaEmulator.Options.defaults().clock(EmulatorClock.system()))) {
            GeneratedOrg a = this.org.generate(OrgSpec.people(50));
            GeneratedOrg b = other.org().generate(OrgSpec.people(50));
            assertThat(a.assignedUserIds()).isEqualTo(b.assignedUserIds());
            assertThat(this.org.users().get(7).profile()).isEqualTo(other.org()
                .users()
                .get(7)
                .profile()
                .entrySet()
                .stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        entry -> entry.getValue().replace(other.org().orgUrl(), this.org.orgUrl()))));
        }
    }

    private String serviceToken(String scope) throws Exception {
        HttpResponse<String> response = post(this.org.orgUrl() + "/oauth2/v1/token",
                "grant_type=client_credentials&scope="
                        + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "&client_id=" + this.org.serviceClientId()
                        + "&client_secret="
                        + this.org.serviceClientSecret());
        assertThat(response.statusCode()).isEqualTo(200);
        return HttpCall.JSON.readTree(response.body()).path("access_token").asString();
    }

    private static String next(HttpResponse<String> response) {
        for (String link : response.headers().allValues("Link")) {
            Matcher matcher = NEXT.matcher(link);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String form) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String url, String json) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
