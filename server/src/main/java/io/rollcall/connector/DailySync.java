package io.rollcall.connector;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.SourceKind;
import io.rollcall.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * A provider's daily full sync: at each company's time of day (UTC), one full run a day. Called every minute or so;
 * a company's day is claimed in its connection's row, so that one node starts it once.
 */
public final class DailySync {

	/** When a company's daily sync is due, as its connection says. */
	public interface Schedule {

		UUID companyId();

		/** The time of day (UTC, HH:mm) of the daily full sync. */
		String fullSyncAt();

	}

	/** Marks a company's day as synced; false when it was already. */
	@FunctionalInterface
	public interface Claim {

		boolean claimDailyRun(UUID companyId, LocalDate today);

	}

	/** A company's daily time when it has not chosen one. */
	public static final String DEFAULT_TIME = "03:00";

	private static final Logger log = LoggerFactory.getLogger(DailySync.class);

	private final String kind;

	private final Actor actor;

	private final Claim claim;

	private final Supplier<? extends Collection<? extends Schedule>> companies;

	private final SyncRuns runs;

	private final TransactionTemplate transaction;

	private final Clock clock;

	/**
	 * @param source the source, whose kind its runs name and whose name its actor has ("Okta daily sync")
	 * @param companies the companies whose connection may have a daily sync
	 */
	public DailySync(SourceKind source, Claim claim, Supplier<? extends Collection<? extends Schedule>> companies,
			SyncRuns runs, TransactionTemplate transaction, Clock clock) {
		Assert.notNull(source, "source cannot be null");
		Assert.notNull(claim, "claim cannot be null");
		Assert.notNull(companies, "companies cannot be null");
		this.kind = source.kind();
		this.actor = new Actor(Actor.Type.SYSTEM, source.kind() + "-daily", source.name() + " daily sync");
		this.claim = claim;
		this.companies = companies;
		this.runs = runs;
		this.transaction = transaction;
		this.clock = clock;
	}

	/**
	 * The time of day an admin chose for the daily sync, as {@code HH:mm}.
	 *
	 * @param otherwise the time when none is chosen (blank)
	 * @throws RequestRejectedException when it is not a time of day
	 */
	public static String timeOfDay(String chosen, String otherwise) {
		String time = chosen == null || chosen.isBlank() ? otherwise : chosen.strip();
		try {
			return LocalTime.parse(time).toString().substring(0, 5);
		}
		catch (DateTimeParseException ex) {
			throw RequestRejectedException.invalid("fullSyncAt",
					"'fullSyncAt' must be a time of day in UTC, HH:mm, e.g. 03:00");
		}
	}

	/**
	 * The recurring task that starts what is due, every minute: {@code {kind}-daily-sync}, a name kept as it is, since
	 * it is a row in the scheduler's table of existing databases.
	 */
	public RecurringTask<Void> task() {
		return task(() -> {
		});
	}

	/**
	 * The recurring task that starts what is due, every minute, and then does {@code alsoEachRound} (a provider's small
	 * upkeep that has always run with it).
	 */
	public RecurringTask<Void> task(Runnable alsoEachRound) {
		Assert.notNull(alsoEachRound, "alsoEachRound cannot be null");
		return Tasks.recurring(this.kind + "-daily-sync", FixedDelay.ofMinutes(1)).execute((instance, context) -> {
			startDue();
			alsoEachRound.run();
		});
	}

	/** Starts the full run of every company whose daily time (UTC) has come and that has not had it today. */
	public void startDue() {
		ZonedDateTime now = this.clock.instant().atZone(ZoneOffset.UTC);
		LocalDate today = now.toLocalDate();
		for (Schedule company : this.companies.get()) {
			LocalTime at = LocalTime.parse(company.fullSyncAt());
			if (now.toLocalTime().isBefore(at)) {
				continue;
			}
			try {
				// Claimed and started together: a day's sync that cannot start now (another run is going, or waits for
				// approval) is not marked done, and is tried again on the next round instead of skipped for the day.
				this.transaction.executeWithoutResult(status -> {
					if (this.claim.claimDailyRun(company.companyId(), today)) {
						this.runs.start(company.companyId(), this.kind, false, null, Map.of(), this.actor);
					}
				});
			}
			catch (RequestRejectedException ex) {
				log.debug("{}: daily sync of company {} waits: {}", this.kind, company.companyId(), ex.getMessage());
			}
		}
	}

}
