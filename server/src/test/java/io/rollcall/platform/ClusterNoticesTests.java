package io.rollcall.platform;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.rollcall.support.Eventually;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.SecondNode;
import io.rollcall.sync.RunStatus;
import io.rollcall.sync.SyncRunEnded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notices between two nodes on one database: memories forgotten on one node are forgotten on the other, only once the
 * change commits; a run's end on one node is heard on the other; and a node whose listening connection is killed
 * comes back, forgets what it remembered (it may have missed notices), and hears the next ones.
 */
class ClusterNoticesTests extends IntegrationTest {

	private static SecondNode b;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private ClusterNotices notices;

	@Autowired
	private TransactionTemplate transactions;

	@Autowired
	private ApplicationEventPublisher events;

	@BeforeEach
	void secondNode() {
		if (b == null) {
			b = startSecondNode(this.dataSource);
		}
		Eventually.await(Duration.ofSeconds(10), () -> b.bean(ClusterNotices.class).listeningBackend() != 0);
	}

	@AfterAll
	static void stopSecondNode() {
		if (b != null) {
			b.close();
			b = null;
		}
	}

	@Test
	void forgetWhenMemoryForgottenOnOneNodeThenTheOtherForgetsOnceTheChangeCommits() {
		String name = "test " + UUID.randomUUID();
		ShortMemory<String, String> onA = new ShortMemory<>(name, Duration.ofMinutes(10), this.notices);
		ShortMemory<String, String> onB = new ShortMemory<>(name, Duration.ofMinutes(10), b.bean(ClusterNotices.class));
		assertThat(onB.get("acme", key -> "old")).isEqualTo("old");
		this.transactions.executeWithoutResult(status -> {
			onA.forget("acme");
			// Not before the commit: B would read the old row again.
			assertThat(onB.get("acme", key -> "new")).isEqualTo("old");
		});
		Eventually.await(Duration.ofSeconds(1), () -> "new".equals(onB.get("acme", key -> "new")));
		// A change rolled back is never announced.
		this.transactions.executeWithoutResult(status -> {
			onA.forget("acme");
			status.setRollbackOnly();
		});
		// Another memory's notice, sent after: notices are delivered in the order they commit, so once B heard this
		// one it would have heard the other.
		String other = "test " + UUID.randomUUID();
		ShortMemory<String, String> otherOnA = new ShortMemory<>(other, Duration.ofMinutes(10), this.notices);
		ShortMemory<String, String> otherOnB = new ShortMemory<>(other, Duration.ofMinutes(10),
				b.bean(ClusterNotices.class));
		otherOnB.get("acme", key -> "old");
		otherOnA.forget("acme");
		Eventually.await(Duration.ofSeconds(1), () -> "new".equals(otherOnB.get("acme", key -> "new")));
		assertThat(onB.get("acme", key -> "newer")).as("still remembered").isEqualTo("new");
	}

	@Test
	void listeningConnectionWhenKilledThenReconnectsForgetsEverythingAndHearsAgain() {
		ClusterNotices notices = b.bean(ClusterNotices.class);
		String name = "test " + UUID.randomUUID();
		ShortMemory<String, String> onA = new ShortMemory<>(name, Duration.ofMinutes(10), this.notices);
		ShortMemory<String, String> onB = new ShortMemory<>(name, Duration.ofMinutes(10), notices);
		assertThat(onB.get("acme", key -> "before")).isEqualTo("before");
		int backend = notices.listeningBackend();
		int connects = notices.connects();

		assertThat(
				this.jdbc.sql("select pg_terminate_backend(:pid)").param("pid", backend).query(Boolean.class).single())
			.isTrue();

		Eventually.await(Duration.ofSeconds(10), () -> notices.connects() > connects);
		assertThat(notices.listeningBackend()).isNotIn(0, backend);
		assertThat(onB.get("acme", key -> "after")).as("forgotten: notices may have been missed").isEqualTo("after");
		onA.forget("acme");
		Eventually.await(Duration.ofSeconds(1), () -> "again".equals(onB.get("acme", key -> "again")));
	}

	@Test
	void runEndedWhenOnOneNodeThenPublishedOnTheOtherOnceAndNotSentBack() {
		List<SyncRunEnded> onA = new CopyOnWriteArrayList<>();
		List<SyncRunEnded> onB = new CopyOnWriteArrayList<>();
		ApplicationListener<ApplicationEvent> listenerA = collect(onA);
		ApplicationListener<ApplicationEvent> listenerB = collect(onB);
		// The multicaster is a bean of each context; the test's listeners are added to it for this test only.
		ApplicationEventMulticaster multicasterB = b.bean(ApplicationEventMulticaster.class);
		multicasterB.addApplicationListener(listenerB);
		this.multicaster.addApplicationListener(listenerA);
		String marker = UUID.randomUUID().toString();
		List<String> markers = new CopyOnWriteArrayList<>();
		this.notices.listen("test marker", new ClusterNotices.Listener() {

			@Override
			public void noticed(String message, boolean fromThisNode) {
				markers.add(message);
			}

			@Override
			public void mayHaveMissed() {
			}

		});
		try {
			SyncRunEnded ended = new SyncRunEnded(UUID.randomUUID(), UUID.randomUUID(), "test-source",
					RunStatus.SUCCEEDED);
			this.transactions.executeWithoutResult(status -> this.events.publishEvent(ended));
			Eventually.await(Duration.ofSeconds(2), () -> onB.contains(ended));
			SyncRunEnded next = new SyncRunEnded(UUID.randomUUID(), UUID.randomUUID(), "test-source",
					RunStatus.FAILED);
			this.transactions.executeWithoutResult(status -> this.events.publishEvent(next));
			Eventually.await(Duration.ofSeconds(2), () -> onB.contains(next));
			// B handles notices one at a time: done with both, it has sent anything it would send back. Notices are
			// delivered in the order they commit, so once A hears B's marker, it has heard that too.
			b.bean(ClusterNotices.class).send("test marker", marker);
			Eventually.await(Duration.ofSeconds(2), () -> markers.contains(marker));
			assertThat(onB).containsExactly(ended, next);
			assertThat(onA).as("published here once, not heard back from B").containsExactly(ended, next);
		}
		finally {
			multicasterB.removeApplicationListener(listenerB);
			this.multicaster.removeApplicationListener(listenerA);
		}
	}

	@Autowired
	private ApplicationEventMulticaster multicaster;

	private static ApplicationListener<ApplicationEvent> collect(List<SyncRunEnded> into) {
		return event -> {
			if (event instanceof PayloadApplicationEvent<?> payload
					&& payload.getPayload() instanceof SyncRunEnded ended
					&& ended.source().equals("test-source")) {
				into.add(ended);
			}
		};
	}

}
