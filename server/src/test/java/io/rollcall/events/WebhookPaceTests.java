package io.rollcall.events;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a company's sync run applies, its endpoints get its events at the pace, and all of them; at full speed again
 * once the run is over. The run is a row in the applying state (the state the engine leaves a run in while it applies
 * its plan), so that the test decides how long it lasts.
 */
class WebhookPaceTests extends WebhookTesting {

	private static final int PACE = 4;

	@Autowired
	private WebhookSettings settings;

	private UUID run;

	@AfterEach
	void fullSpeedAgain() {
		this.settings.paceDuringRuns(100);
		if (this.run != null) {
			this.jdbc
				.sql("update sync_run set status = 'failed', error = 'test over', finished_at = now() where id = :id")
				.param("id", this.run)
				.update();
		}
	}

	@Test
	void deliveryWhenTheCompanysRunIsApplyingThenItsEventsGoAtThePaceAndAllArriveThenFullSpeedOnceItEnds()
			throws Exception {
		this.settings.paceDuringRuns(PACE);
		this.run = UUID.randomUUID();
		this.jdbc.sql("""
				insert into sync_run (id, company_id, source, dry_run, status, requested_by, started_at)
				values (:id, :company, 'csv', false, 'applying', 'test', now())
				""").param("id", this.run).param("company", this.company.id()).update();
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(204))) {
			endpoint(receiver.url("/paced"), "person.created");
			for (int i = 0; i < 16; i++) {
				person("paced" + i + "@pace.test");
			}
			await("the 16 paced deliveries", Duration.ofSeconds(30), () -> receiver.received().size() >= 16);
			List<ScriptedReceiver.Received> paced = List.copyOf(receiver.received());
			// 16 events at 4 a second: four batches, a second apart at least.
			assertThat(Duration.between(paced.getFirst().at(), paced.getLast().at()))
				.isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
			for (ScriptedReceiver.Received delivery : paced) {
				long within = paced.stream()
					.filter(d -> !d.at().isBefore(delivery.at()) && d.at().isBefore(delivery.at().plusMillis(900)))
					.count();
				assertThat(within).as("deliveries within 0.9 s of one another").isLessThanOrEqualTo(PACE);
			}

			this.jdbc.sql("update sync_run set status = 'succeeded', finished_at = now() where id = :id")
				.param("id", this.run)
				.update();
			for (int i = 0; i < 16; i++) {
				person("free" + i + "@pace.test");
			}
			await("the 16 deliveries after the run", Duration.ofSeconds(30), () -> receiver.received().size() >= 32);
			List<ScriptedReceiver.Received> free = receiver.received().subList(16, 32);
			assertThat(Duration.between(free.getFirst().at(), free.getLast().at()))
				.isLessThan(Duration.ofMillis(2_500));
			assertThat(receiver.received().stream().map(r -> r.header("webhook-id")).distinct()).hasSize(32);
		}
	}

}
