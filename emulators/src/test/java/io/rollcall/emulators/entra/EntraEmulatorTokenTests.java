package io.rollcall.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rollcall.emulators.EmulatorClock;

class EntraEmulatorTokenTests {

    private EmulatorClock clock;
    private EntraEmulator emulator;
    private EntraTenant tenant;
    private GraphTestClient client;

    @BeforeEach
    void start() {
        this.clock = EmulatorClock.system();
        this.emulator = EntraEmulator.start(EntraEmulator.Options.defaults().clock(this.clock));
        this.tenant = this.emulator.createTenant();
        this.tenant.generate(DirectorySpec.people(20));
        this.client = new GraphTestClient(this.emulator);
    }

    @AfterEach
    void stop() {
        this.emulator.close();
    }

    @Test
    void tokenWhenCredentialsRightThenBearerTokenThatGraphAccepts() {
        GraphTestClient.Response token = this.client.token(this.tenant.tenantId(), this.tenant.clientId(),
                this.tenant.clientSecret());
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.json().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(token.json().get("expires_in").asInt()).isEqualTo(3599);
        assertThat(this.client.get("/users").status()).isEqualTo(200);
    }

    @Test
    void tokenWhenTenantDomainUsedThenIssued() {
        assertThat(this.client.token(this.tenant.domain(), this.tenant.clientId(), this.tenant.clientSecret()).status())
            .isEqualTo(200);
    }

    @Test
    void tokenWhenSecretWrongThen401WithAadsts7000215() {
        GraphTestClient.Response response = this.client.token(this.tenant.tenantId(), this.tenant.clientId(), "wrong");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("error").asString()).isEqualTo("invalid_client");
        assertThat(response.json().get("error_description").asString()).startsWith("AADSTS7000215:");
        assertThat(response.json().get("error_codes").get(0).asInt()).isEqualTo(7000215);
    }

    @Test
    void tokenWhenTenantUnknownThen400WithAadsts90002() {
        GraphTestClient.Response response = this.client.token("00000000-0000-0000-0000-000000000000",
                this.tenant.clientId(), this.tenant.clientSecret());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error_description").asString()).startsWith("AADSTS90002:");
    }

    @Test
    void tokenWhenClientUnknownThen400WithAadsts700016() {
        GraphTestClient.Response response = this.client.token(this.tenant.tenantId(),
                "11111111-1111-1111-1111-111111111111", this.tenant.clientSecret());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asString()).isEqualTo("unauthorized_client");
        assertThat(response.json().get("error_description").asString()).startsWith("AADSTS700016:");
    }

    @Test
    void graphWhenNoTokenThen401InvalidAuthenticationToken() {
        GraphTestClient.Response response = this.client.get("/users");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("error").get("code").asString()).isEqualTo("InvalidAuthenticationToken");
    }

    @Test
    void graphWhenTokenExpiredByClockThen401() {
        this.client.signIn(this.tenant);
        this.clock.advance(Duration.ofMinutes(61));
        GraphTestClient.Response response = this.client.get("/users");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("error").get("code").asString()).isEqualTo("InvalidAuthenticationToken");
        assertThat(response.json().get("error").get("message").asString()).contains("expired");
    }

    @Test
    void graphWhenConsentNotGrantedThen403AuthorizationRequestDenied() {
        this.tenant.revokeConsent();
        this.client.signIn(this.tenant);
        GraphTestClient.Response response = this.client.get("/users");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("error").get("code").asString()).isEqualTo("Authorization_RequestDenied");
    }
}
