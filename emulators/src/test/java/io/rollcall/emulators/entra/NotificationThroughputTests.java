package io.rollcall.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class NotificationThroughputTests {

    @Test
    void burstWhenThousandChangesThenAllDeliveredWithinSeconds() throws Exception {
        try (EntraEmulator emulator = EntraEmulator
            .start(EntraEmulator.Options.defaults().accessTokenLifetime(Duration.ofDays(1)));
                NotificationReceiver receiver = new NotificationReceiver()) {
            EntraTenant tenant = emulator.createTenant();
            GeneratedDirectory directory = tenant.generate(DirectorySpec.people(1_000));
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            assertThat(client
                .post("/subscriptions",
                        """
                                {"changeType":"updated,deleted","notificationUrl":"%s","resource":"/users","expirationDateTime":"%s","clientState":"s"}"""
                            .formatted(receiver.url("/hook"), Instant.now().plus(Duration.ofDays(1))))
                .status()).isEqualTo(201);
            long start = System.nanoTime();
            for (String id : directory.memberUserIds()) {
                tenant.updateUser(id, Map.of("jobTitle", "Burst"));
            }
            List<JsonNode> items = receiver.awaitItems(list -> list.size() >= 1_000, Duration.ofSeconds(20));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("1,000 changes delivered as %d POSTs in %d ms%n", receiver.bodies().size(),
                    took.toMillis());
            assertThat(items).hasSize(1_000);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void deliveriesWhenConcurrencyRaisedThenHundredsPerSecondOnePerPost() throws Exception {
        try (EntraEmulator emulator = EntraEmulator.start(EntraEmulator.Options.defaults()
            .accessTokenLifetime(Duration.ofDays(1))
            .notificationBatchWindow(Duration.ZERO)
            .notificationMaxBatch(1)
            .notificationConcurrency(16));
                NotificationReceiver receiver = new NotificationReceiver()) {
            EntraTenant tenant = emulator.createTenant();
            GeneratedDirectory directory = tenant.generate(DirectorySpec.people(1_000));
            GraphTestClient client = new GraphTestClient(emulator).signIn(tenant);
            client.post("/subscriptions",
                    """
                            {"changeType":"updated","notificationUrl":"%s","resource":"/users","expirationDateTime":"%s","clientState":"s"}"""
                        .formatted(receiver.url("/hook"), Instant.now().plus(Duration.ofDays(1))));
            long start = System.nanoTime();
            for (String id : directory.memberUserIds()) {
                tenant.updateUser(id, Map.of("jobTitle", "One by one"));
            }
            receiver.awaitItems(list -> list.size() >= 1_000, Duration.ofSeconds(20));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            double perSecond = 1_000 / (took.toNanos() / 1e9);
            System.out.printf("1,000 single-item POSTs in %d ms (%.0f/s)%n", took.toMillis(), perSecond);
            assertThat(receiver.bodies()).hasSize(1_000);
            assertThat(perSecond).isGreaterThan(200);
        }
    }
}
