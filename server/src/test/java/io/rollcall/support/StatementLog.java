package io.rollcall.support;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL statements Spring's {@link JdbcTemplate} runs while this is open, on every node in this JVM (Spring
 * Session's repository and every {@code JdbcClient} run theirs through one), read from its debug log: a count that
 * holds at once, where PostgreSQL's statistics arrive seconds late. Close it to put the log level back.
 */
public final class StatementLog implements AutoCloseable {

	/** The line JdbcTemplate logs per statement with its SQL, batches aside ({@link #naming} counts single ones). */
	private static final Pattern STATEMENT = Pattern
		.compile("^Executing (prepared SQL statement|SQL query|SQL update|SQL statement) \\[(?s)(.*)\\]$");

	/** The same, and a batch's (logged once for the batch). */
	private static final Pattern STATEMENT_OR_BATCH = Pattern.compile(
			"^Executing (prepared SQL statement|SQL query|SQL update|SQL statement|SQL batch update) \\[(?s)(.*)\\]$");

	private final Logger logger;

	private final Level level;

	private final boolean additive;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {

		@Override
		protected void append(ILoggingEvent event) {
			// The thread's name is otherwise read when the event is, on the reader's thread.
			event.prepareForDeferredProcessing();
			super.append(event);
		}

	};

	private StatementLog() {
		this.logger = (Logger) LoggerFactory.getLogger(JdbcTemplate.class);
		this.level = this.logger.getLevel();
		this.additive = this.logger.isAdditive();
		this.appender.setContext(this.logger.getLoggerContext());
		this.appender.start();
		this.logger.addAppender(this.appender);
		// Kept here only: the console is spared every statement of every node meanwhile.
		this.logger.setAdditive(false);
		this.logger.setLevel(Level.DEBUG);
	}

	public static StatementLog start() {
		return new StatementLog();
	}

	/**
	 * The statements run so far whose SQL holds {@code name} (case aside; {@code sso_session} also finds
	 * {@code sso_session_attributes}), oldest first.
	 */
	public List<String> naming(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		List<ILoggingEvent> events;
		synchronized (this.appender) {
			events = List.copyOf(this.appender.list);
		}
		return events.stream()
			.map(event -> STATEMENT.matcher(event.getFormattedMessage()))
			.filter(java.util.regex.Matcher::matches)
			.map(matcher -> matcher.group(2).strip().replaceAll("\\s+", " "))
			.filter(sql -> sql.toLowerCase(Locale.ROOT).contains(lower))
			.toList();
	}

	/** One statement run: the name of the thread that ran it, and its SQL as written (comments and lines kept). */
	public record Statement(String thread, String sql) {
	}

	/** Every statement run so far, batches included, oldest first. */
	public List<Statement> statements() {
		List<ILoggingEvent> events;
		synchronized (this.appender) {
			events = List.copyOf(this.appender.list);
		}
		return events.stream().<Statement>mapMulti((event, found) -> {
			java.util.regex.Matcher matcher = STATEMENT_OR_BATCH.matcher(event.getFormattedMessage());
			if (matcher.matches()) {
				found.accept(new Statement(event.getThreadName(), matcher.group(2).strip()));
			}
		}).toList();
	}

	/** Forgets what was logged so far. */
	public void clear() {
		synchronized (this.appender) {
			this.appender.list.clear();
		}
	}

	@Override
	public void close() {
		this.logger.setLevel(this.level);
		this.logger.setAdditive(this.additive);
		this.logger.detachAppender(this.appender);
		this.appender.stop();
	}

}
