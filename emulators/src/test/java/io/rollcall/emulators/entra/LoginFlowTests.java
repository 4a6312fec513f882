package io.rollcall.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

class LoginFlowTests {

    private EntraEmulator emulator;
    private EntraTenant tenant;
    private GeneratedDirectory directory;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        this.emulator = EntraEmulator.start(EntraEmulator.Options.defaults().consentGrantedOnCreate(false));
        this.tenant = this.emulator.createTenant();
        this.directory = this.tenant.generate(DirectorySpec.people(30).withDisabledShare(0));
    }

    @AfterEach
    void stop() {
        this.emulator.close();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> query(String location) {
        return HttpCall.parseForm(URI.create(location).getRawQuery());
    }

    @Test
    void adminConsentWhenApprovedThenRedirectWithTenantAndGraphAllowed() throws Exception {
        GraphTestClient client = new GraphTestClient(this.emulator).signIn(this.tenant);
        assertThat(client.get("/users").status()).isEqualTo(403);
        HttpResponse<String> response = get(
                this.emulator.authority() + "/organizations/adminconsent?client_id=" + this.tenant.clientId()
                        + "&redirect_uri=" + LoginApi.encode("http://app.example/callback") + "&state=xyz");
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("http://app.example/callback?");
        assertThat(query(location)).containsEntry("tenant", this.tenant.tenantId())
            .containsEntry("admin_consent", "True")
            .containsEntry("state", "xyz");
        assertThat(this.tenant.consentGranted()).isTrue();
        assertThat(client.get("/users").status()).isEqualTo(200);
    }

    @Test
    void adminConsentWhenPageShownThenAcceptGrantsAndCancelDenies() throws Exception {
        try (EntraEmulator manual = EntraEmulator
            .start(EntraEmulator.Options.defaults().consentGrantedOnCreate(false).autoApproveConsent(false))) {
            EntraTenant other = manual.createTenant();
            String url = manual.authority() + "/" + other.tenantId() + "/adminconsent";
            String params = "client_id=" + other.clientId() + "&redirect_uri="
                    + LoginApi.encode("http://app.example/cb") + "&state=s9";
            HttpResponse<String> page = get(url + "?" + params);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("value='accept'").contains("value='cancel'");
            assertThat(other.consentGranted()).isFalse();
            HttpResponse<String> cancel = this.http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(params + "&decision=cancel"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(query(cancel.headers().firstValue("Location").orElseThrow()))
                .containsEntry("error", "access_denied")
                .containsEntry("state", "s9");
            assertThat(other.consentGranted()).isFalse();
            HttpResponse<String> accept = this.http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(params + "&decision=accept"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(query(accept.headers().firstValue("Location").orElseThrow())).containsEntry("admin_consent",
                    "True");
            assertThat(other.consentGranted()).isTrue();
        }
    }

    @Test
    void adminConsentWhenClientUnknownThenAccessDeniedRedirect() throws Exception {
        HttpResponse<String> response = get(
                this.emulator.authority() + "/" + this.tenant.tenantId() + "/adminconsent?client_id=nope"
                        + "&redirect_uri=" + LoginApi.encode("http://app.example/cb") + "&state=s1");
        Map<String, String> params = query(response.headers().firstValue("Location").orElseThrow());
        assertThat(params).containsEntry("error", "access_denied").containsEntry("state", "s1");
        assertThat(params.get("error_description")).startsWith("AADSTS700016");
        assertThat(this.tenant.consentGranted()).isFalse();
    }

    @Test
    void oidcWhenCodeFlowWithPkceThenIdTokenVerifiesAgainstJwksWithClaims() throws Exception {
        String tid = this.tenant.tenantId();
        JsonNode discovery = HttpCall.JSON
            .readTree(get(this.emulator.authority() + "/" + tid + "/v2.0/.well-known/openid-configuration").body());
        assertThat(discovery.get("issuer").asString()).isEqualTo(this.emulator.authority() + "/" + tid + "/v2.0");
        String verifier = "verifier-0123456789-0123456789-0123456789-0123456789";
        String challenge = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        EntraUser user = this.tenant.user(this.directory.memberUserIds().get(4)).orElseThrow();
        String redirect = "http://app.example/login/oauth2/code/entra";
        HttpResponse<String> authorize = get(
                discovery.get("authorization_endpoint").asString() + "?response_type=code&client_id="
                        + this.tenant.clientId() + "&redirect_uri=" + LoginApi.encode(redirect)
                        + "&scope=openid%20profile%20email&state=st&nonce=n0"
                        + "&code_challenge=" + challenge + "&code_challenge_method=S256&login_hint="
                        + LoginApi.encode(user.userPrincipalName()));
        assertThat(authorize.statusCode()).isEqualTo(302);
        Map<String, String> params = query(authorize.headers().firstValue("Location").orElseThrow());
        assertThat(params).containsEntry("state", "st");
        String form = "grant_type=authorization_code&code=" + LoginApi.encode(params.get("code")) + "&redirect_uri="
                + LoginApi.encode(redirect)
                + "&client_id=" + this.tenant.clientId() + "&client_secret="
                + LoginApi.encode(this.tenant.clientSecret())
                + "&code_verifier=" + verifier;
        HttpResponse<String> token = this.http.send(
                HttpRequest.newBuilder(URI.create(discovery.get("token_endpoint").asString()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        SignedJWT idToken = SignedJWT.parse(HttpCall.JSON.readTree(token.body()).get("id_token").asString());
        RSAKey key = (RSAKey) JWKSet.parse(get(discovery.get("jwks_uri").asString()).body())
            .getKeyByKeyId(idToken.getHeader().getKeyID());
        assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();
        var claims = idToken.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(discovery.get("issuer").asString());
        assertThat(claims.getAudience()).containsExactly(this.tenant.clientId());
        assertThat(claims.getStringClaim("tid")).isEqualTo(tid);
        assertThat(claims.getStringClaim("oid")).isEqualTo(user.id());
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo(user.userPrincipalName());
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n0");
        assertThat(claims.getSubject()).isNotEqualTo(user.id()).isNotBlank();
        HttpResponse<String> replay = this.http.send(
                HttpRequest.newBuilder(URI.create(discovery.get("token_endpoint").asString()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(400);
    }

    @Test
    void oidcWhenVerifierWrongThenInvalidGrant() throws Exception {
        String redirect = "http://app.example/cb";
        EntraUser user = this.tenant.user(this.directory.memberUserIds().get(2)).orElseThrow();
        HttpResponse<String> authorize = get(this.emulator.authority() + "/" + this.tenant.tenantId()
                + "/oauth2/v2.0/authorize?response_type=code&client_id="
                + this.tenant.clientId() + "&redirect_uri=" + LoginApi.encode(redirect)
                + "&scope=openid&code_challenge=abc&code_challenge_method=S256"
                + "&login_hint=" + LoginApi.encode(user.userPrincipalName()));
        String code = query(authorize.headers().firstValue("Location").orElseThrow()).get("code");
        String form = "grant_type=authorization_code&code=" + LoginApi.encode(code) + "&redirect_uri="
                + LoginApi.encode(redirect)
                + "&client_id=" + this.tenant.clientId() + "&code_verifier=wrong";
        HttpResponse<String> token = this.http.send(
                HttpRequest.newBuilder(URI.create(this.emulator.tokenUrl(this.tenant.tenantId())))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(400);
        assertThat(token.body()).contains("invalid_grant").contains("AADSTS501481");
    }

    @Test
    void oidcWhenNoLoginHintThenSignInFormAndDisabledUserRefused() throws Exception {
        String base = this.emulator.authority() + "/" + this.tenant.tenantId()
                + "/oauth2/v2.0/authorize?response_type=code&client_id="
                + this.tenant.clientId() + "&redirect_uri=" + LoginApi.encode("http://app.example/cb")
                + "&scope=openid&state=q";
        HttpResponse<String> form = get(base);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<form method='post'>").contains("name='login'");
        String disabled = this.directory.memberUserIds().get(6);
        this.tenant.disableUser(disabled);
        HttpResponse<String> refused = get(
                base + "&login_hint=" + LoginApi.encode(this.tenant.user(disabled).orElseThrow().userPrincipalName()));
        assertThat(query(refused.headers().firstValue("Location").orElseThrow())).containsEntry("error",
                "access_denied");
    }

    @Test
    void adminApiWhenUsedOverHttpThenChangesTenantLikeJavaApi() throws Exception {
        String base = this.emulator.adminUrl() + "/tenants/" + this.tenant.tenantId();
        String id = this.directory.memberUserIds().get(3);
        HttpResponse<String> patched = this.http.send(HttpRequest.newBuilder(URI.create(base + "/users/" + id))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"jobTitle\":\"Admin-set\"}"))
            .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(this.tenant.user(id).orElseThrow().jobTitle()).isEqualTo("Admin-set");
        HttpResponse<String> bad = this.http.send(HttpRequest.newBuilder(URI.create(base + "/users/" + id))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"shoeSize\":\"44\"}"))
            .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("shoeSize");
        this.http.send(
                HttpRequest.newBuilder(URI.create(base + "/groups/" + this.directory.topGroupId() + "/members/" + id))
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        this.http.send(
                HttpRequest.newBuilder(URI.create(base + "/users/" + id + "/disable"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(this.tenant.user(id).orElseThrow().accountEnabled()).isFalse();
        HttpResponse<String> faults = this.http.send(
                HttpRequest.newBuilder(URI.create(this.emulator.adminUrl() + "/faults"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"throttleShare\":0.25}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(faults.statusCode()).isEqualTo(200);
        assertThat(this.emulator.faults().throttleShare()).isEqualTo(0.25);
        HttpResponse<String> created = this.http.send(
                HttpRequest.newBuilder(URI.create(this.emulator.adminUrl() + "/tenants"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"domain\":\"fabrikam.example\",\"people\":12}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode answer = HttpCall.JSON.readTree(created.body());
        assertThat(answer.get("directory").get("people").asInt()).isEqualTo(12);
        assertThat(this.emulator.tenant("fabrikam.example")
            .orElseThrow()
            .transitiveUserIds(answer.get("directory").get("topGroupId").asString())).hasSize(12);
    }
}
