package io.rollcall.directory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory's reads of one statement run in the caller's transaction or in none: a read-only transaction of their
 * own would add a {@code BEGIN READ ONLY} and a {@code COMMIT} to a statement that is consistent on its own. Reads of
 * several statements keep theirs (one connection for them all).
 */
class SingleStatementReadsTests extends IntegrationTest {

	private static final String STATEMENT = "statement";

	private static final String COMMIT = "commit";

	@Autowired
	private People people;

	@Autowired
	private Teams teams;

	@Autowired
	private Tags tags;

	@Autowired
	private CustomFields customFields;

	@Autowired
	private Invitations invitations;

	@Autowired
	private DirectoryBatch batch;

	private TestCompany company;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
	}

	@Test
	void readWhenOneStatementThenNoTransactionOfItsOwn() {
		UUID id = this.company.id();
		String email = this.company.ownerEmail();
		assertOneStatementNoCommit(() -> this.customFields.list(id));
		assertOneStatementNoCommit(() -> this.tags.list(id));
		assertOneStatementNoCommit(() -> this.teams.names(id));
		assertOneStatementNoCommit(() -> this.invitations.latest(id, this.company.ownerId()));
		assertThat(assertOneStatementNoCommit(() -> this.batch.idsByEmail(id, List.of(email.toUpperCase()))))
			.containsEntry(email.toLowerCase(), this.company.ownerId());
		assertOneStatementNoCommit(() -> this.batch.idsByExternalId(id, "csv", List.of("e-1")));
		assertOneStatementNoCommit(() -> this.batch.linksByExternalId(id, "csv", List.of("e-1")));
		assertOneStatementNoCommit(() -> this.batch.activeExternalIds(id, "csv", Set.of("e-1")));
		assertThat(assertOneStatementNoCommit(() -> this.batch.activeCount(id))).isEqualTo(1);
		assertOneStatementNoCommit(() -> this.batch.overrideManagers(id));
		// A whole person (secondary teams, tags, identities, team manager) is one statement: an event's subject, once
		// per write.
		assertThat(assertOneStatementNoCommit(() -> this.people.find(id, this.company.ownerId()))).isPresent();
		assertThat(assertOneStatementNoCommit(() -> this.people.load(id, List.of(this.company.ownerId())))).hasSize(1);
	}

	@Test
	void readWhenSeveralStatementsThenOneReadOnlyTransaction() {
		List<String> seen = run(() -> this.people.findByEmail(this.company.id(), this.company.ownerEmail()));
		assertThat(seen).filteredOn(STATEMENT::equals).hasSizeGreaterThan(1);
		assertThat(seen).filteredOn(COMMIT::equals).hasSize(1);
	}

	private <T> T assertOneStatementNoCommit(Supplier<T> read) {
		List<T> result = new ArrayList<>(1);
		List<String> seen = run(() -> result.add(read.get()));
		assertThat(seen).containsExactly(STATEMENT);
		return result.getFirst();
	}

	/** What this thread ran of {@code read}: a {@link #STATEMENT} for each statement, a {@link #COMMIT} for each commit. */
	private static List<String> run(Runnable read) {
		Logger log = (Logger) LoggerFactory.getLogger("org.springframework.jdbc");
		Level level = log.getLevel();
		Thread reader = Thread.currentThread();
		List<String> seen = Collections.synchronizedList(new ArrayList<>());
		AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
			@Override
			protected void append(ILoggingEvent event) {
				if (Thread.currentThread() != reader) {
					return;
				}
				String message = event.getFormattedMessage();
				if (message.startsWith("Executing prepared SQL statement")) {
					seen.add(STATEMENT);
				}
				if (message.startsWith("Initiating transaction commit")) {
					seen.add(COMMIT);
				}
			}
		};
		appender.start();
		log.addAppender(appender);
		log.setAdditive(false);
		log.setLevel(Level.DEBUG);
		try {
			read.run();
		}
		finally {
			log.setLevel(level);
			log.setAdditive(true);
			log.detachAppender(appender);
		}
		return seen;
	}

}
