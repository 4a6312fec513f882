package io.rollcall.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Short messages from one node to every node on the same database, by PostgreSQL's {@code LISTEN/NOTIFY}: "forget
 * what you remember of this", "this run ended". A notice sent inside a transaction is delivered when it commits and
 * never when it rolls back, so nobody hears of a change they cannot read yet.
 * <p>
 * Each node holds one connection of its own for listening (not one of the pool's: it is never given back). Notices
 * are not stored: while that connection is lost they are missed, so once it is back every listener hears
 * {@link Listener#mayHaveMissed()} and forgets everything it remembers. Delivery is at most once and fast (a few
 * milliseconds), never a substitute for reading the table.
 */
@Component
public final class ClusterNotices implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ClusterNotices.class);

	/** One channel for every topic: one {@code LISTEN}, and the topic travels in the payload. */
	static final String CHANNEL = "rollcall_cluster";

	/** A connection silent this long is asked a {@code select 1}: a dead peer would otherwise go unnoticed. */
	private static final Duration CHECK_AFTER_SILENCE = Duration.ofSeconds(10);

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private static final Duration LAST_RETRY = Duration.ofSeconds(5);

	/** Who hears the notices of one topic. */
	public interface Listener {

		/** A notice on the topic, from another node or from this one (then {@code fromThisNode}). */
		void noticed(String message, boolean fromThisNode);

		/** The listening connection was lost and is back, or was just opened: notices may have been missed. */
		void mayHaveMissed();

	}

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	/** Tells this node's notices from the others' (each start of a node is another node). */
	private final String node = UUID.randomUUID().toString();

	private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

	private volatile boolean running;

	private volatile Thread thread;

	private volatile Connection connection;

	/** How many times the listening connection was opened: for the tests of reconnecting. */
	private volatile int connects;

	public ClusterNotices(JdbcClient jdbc, DataSource dataSource) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(dataSource, "dataSource cannot be null");
		this.jdbc = jdbc;
		this.dataSource = dataSource;
	}

	/** {@code listener} hears every notice sent on {@code topic} from now on. */
	public void listen(String topic, Listener listener) {
		Assert.hasText(topic, "topic cannot be empty");
		Assert.notNull(listener, "listener cannot be null");
		this.listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
	}

	/**
	 * Sends a notice to every node (this one included): on the current transaction's connection when there is one,
	 * so it is delivered at commit; else at once.
	 */
	public void send(String topic, String message) {
		Assert.isTrue(topic != null && topic.indexOf('\n') < 0, "topic cannot hold a line break");
		this.jdbc.sql("select pg_notify(:channel, :payload)")
			.param("channel", CHANNEL)
			.param("payload", this.node + "\n" + topic + "\n" + (message == null ? "" : message))
			.query(rs -> {
			});
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.thread = Thread.ofPlatform().daemon().name("cluster-notices").start(this::listenUntilStopped);
	}

	@Override
	public void stop() {
		Thread listening;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			listening = this.thread;
		}
		// It hears that within its wait of half a second, and closes its connection itself (closing it from here would
		// wait for that connection's lock anyway).
		listening.interrupt();
		try {
			listening.join(Duration.ofSeconds(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Before the web server and the workers, and stopped after them. */
	@Override
	public int getPhase() {
		return 0;
	}

	/** The PostgreSQL backend of the listening connection, or 0 when there is none now. */
	int listeningBackend() {
		Connection current = this.connection;
		try {
			return current == null ? 0 : current.unwrap(PGConnection.class).getBackendPID();
		}
		catch (SQLException ex) {
			return 0;
		}
	}

	int connects() {
		return this.connects;
	}

	private void listenUntilStopped() {
		Duration retry = FIRST_RETRY;
		while (this.running) {
			try (Connection listening = open()) {
				this.connection = listening;
				try (Statement statement = listening.createStatement()) {
					statement.execute("listen " + CHANNEL);
				}
				this.connects++;
				retry = FIRST_RETRY;
				tellEveryoneTheyMayHaveMissed();
				receive(listening);
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.running) {
					break;
				}
				log.warn("Cluster notices: the listening connection is lost ({}); trying again in {} ms",
						ex.getMessage(), retry.toMillis());
			}
			finally {
				this.connection = null;
			}
			try {
				Thread.sleep(retry);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
		}
	}

	private void receive(Connection listening) throws SQLException {
		PGConnection postgres = listening.unwrap(PGConnection.class);
		long lastHeard = System.nanoTime();
		while (this.running) {
			PGNotification[] notifications = postgres.getNotifications(500);
			if (notifications != null && notifications.length > 0) {
				lastHeard = System.nanoTime();
				for (PGNotification notification : notifications) {
					dispatch(notification.getParameter());
				}
			}
			else if (System.nanoTime() - lastHeard > CHECK_AFTER_SILENCE.toNanos()) {
				try (Statement statement = listening.createStatement()) {
					statement.execute("select 1");
				}
				lastHeard = System.nanoTime();
			}
		}
	}

	private void dispatch(String payload) {
		String[] parts = payload.split("\n", 3);
		if (parts.length < 3) {
			return; // not one of ours
		}
		boolean fromThisNode = this.node.equals(parts[0]);
		for (Listener listener : this.listeners.getOrDefault(parts[1], List.of())) {
			try {
				listener.noticed(parts[2], fromThisNode);
			}
			catch (RuntimeException ex) {
				log.warn("Cluster notices: a listener of {} failed: {}", parts[1], ex.toString());
			}
		}
	}

	private void tellEveryoneTheyMayHaveMissed() {
		this.listeners.values().stream().flatMap(List::stream).forEach(listener -> {
			try {
				listener.mayHaveMissed();
			}
			catch (RuntimeException ex) {
				log.warn("Cluster notices: a listener failed to forget: {}", ex.toString());
			}
		});
	}

	/** Its own connection, with the pool's address and credentials, so the pool keeps all of its own. */
	private Connection open() throws SQLException {
		HikariDataSource pool = this.dataSource.isWrapperFor(HikariDataSource.class)
				? this.dataSource.unwrap(HikariDataSource.class) : null;
		if (pool == null || pool.getJdbcUrl() == null) {
			return this.dataSource.getConnection(); // a pool we do not know: one of its connections, held
		}
		Properties credentials = new Properties();
		if (pool.getUsername() != null) {
			credentials.setProperty("user", pool.getUsername());
		}
		if (pool.getPassword() != null) {
			credentials.setProperty("password", pool.getPassword());
		}
		credentials.setProperty("ApplicationName", "rollcall cluster notices");
		// A peer gone without a word would leave the silence check's select waiting for ever.
		credentials.setProperty("socketTimeout", "30");
		credentials.setProperty("tcpKeepAlive", "true");
		// The driver itself rather than DriverManager, which may not see it from a packaged application's class loader.
		Connection connection = new org.postgresql.Driver().connect(pool.getJdbcUrl(), credentials);
		return connection != null ? connection : this.dataSource.getConnection();
	}

}
