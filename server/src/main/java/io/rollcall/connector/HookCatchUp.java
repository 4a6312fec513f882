package io.rollcall.connector;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import io.rollcall.platform.Actor;
import io.rollcall.platform.JobScheduler;
import io.rollcall.platform.QueueWorker;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.SourceKind;
import io.rollcall.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * Makes up for webhook deliveries this node refused ({@link HookAdmission}). Okta retries a refused hook once and
 * Graph gives up after hours, so a refused delivery may never come back, and nothing may wait silently for the daily
 * sync: each refusal remembers its sender by what authenticates it, and the sender's company gets a catch-up run
 * ({@code options}) a little later ({@code after}), one however many of its deliveries were refused, durable as a job
 * of the scheduler. A redelivery that does get in changes nothing the catch-up did not (events by uuid, notifications
 * only name whom to read).
 * <p>
 * The refusal itself reads no database (the node is busy): the senders are checked, as a delivery would be, at most
 * once a second on a thread of their own. A sender is known only once it is checked: one that proves to be no
 * company's starts nothing. A node stopped in between checks what it holds on the way out; one killed loses what it
 * refused in its last second, which the sender's own retry usually covers.
 *
 * @param <K> what authenticates a sender (a secret's hash, a subscription and its clientState)
 */
public final class HookCatchUp<K> {

	/** The provider's part: who sent what was refused. */
	public interface Senders<K> {

		/** The companies these senders are, each checked as the receiver checks a delivery; unknown ones left out. */
		Set<UUID> companies(Set<K> senders);

		/** Every company whose hooks this source hears: for when more senders were refused than are remembered. */
		Collection<UUID> all();

		/** Whether the company still hears this source's hooks: an integration removed since needs no catch-up. */
		boolean hears(UUID companyId);

	}

	/** Senders remembered between two checks; beyond that (random secrets, an attack), every company catches up. */
	static final int MAX_REMEMBERED = 10_000;

	/** The least time between two checks of the senders: a storm of refusals costs a few queries a second. */
	static final Duration CHECK_EVERY = Duration.ofSeconds(1);

	/** The least a catch-up that found another run of its source going waits before it tries again. */
	static final Duration BUSY_WAIT = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(HookCatchUp.class);

	private final String kind;

	private final String sourceName;

	private final Map<String, Object> options;

	private final Senders<K> senders;

	private final SyncRuns runs;

	private final JobScheduler scheduler;

	private final Duration after;

	private final Actor actor;

	private final OneTimeTask<Void> task;

	private final QueueWorker worker;

	private final Set<K> refused = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean overflowed = new AtomicBoolean();

	private final AtomicLong refusals = new AtomicLong();

	private volatile long lastCheck;

	/**
	 * @param options the catch-up run's options: none for a full run
	 * @param after how long after a refusal its catch-up starts: past the provider's retry, and one run for a storm
	 */
	public HookCatchUp(SourceKind source, Map<String, Object> options, Senders<K> senders, SyncRuns runs,
			JobScheduler scheduler, Duration after) {
		Assert.notNull(source, "source cannot be null");
		Assert.notNull(options, "options cannot be null");
		Assert.notNull(senders, "senders cannot be null");
		Assert.notNull(runs, "runs cannot be null");
		Assert.notNull(scheduler, "scheduler cannot be null");
		Assert.isTrue(after != null && !after.isNegative(), "after cannot be negative");
		this.kind = source.kind();
		this.sourceName = source.name();
		this.options = Map.copyOf(options);
		this.senders = senders;
		this.runs = runs;
		this.scheduler = scheduler;
		this.after = after;
		this.actor = new Actor(Actor.Type.SYSTEM, this.kind + "-hook-catch-up",
				source.name() + " catch-up after refused webhook deliveries");
		this.worker = new QueueWorker(this.kind + "-refused-hooks", Duration.ofSeconds(5), this::check);
		this.task = new OneTimeTask<>(this.kind + "-hook-catch-up", Void.class,
				new FailureHandler.OnFailureRetryLater<>(busyWait()),
				new DeadExecutionHandler.ReviveDeadExecution<>()) {

			@Override
			public CompletionHandler<Void> execute(TaskInstance<Void> instance, ExecutionContext context) {
				return start(UUID.fromString(instance.getId()));
			}

			@Override
			public void executeOnce(TaskInstance<Void> instance, ExecutionContext context) {
				throw new UnsupportedOperationException("execute() starts the run");
			}

		};
	}

	/** Who starts the catch-up runs, as their history shows it. */
	public Actor actor() {
		return this.actor;
	}

	/** The scheduler's task that starts a company's catch-up run (its instance id is the company). */
	public Task<Void> task() {
		return this.task;
	}

	/** The thread that checks the refused senders; its owner starts and stops it with the application. */
	public QueueWorker worker() {
		return this.worker;
	}

	/**
	 * A delivery from {@code sender} was refused; null when it carried nothing that could authenticate it (it would
	 * have been refused anyway). Reads no database.
	 */
	public void refused(K sender) {
		this.refusals.incrementAndGet();
		if (sender == null) {
			return;
		}
		if (this.refused.size() < MAX_REMEMBERED) {
			this.refused.add(sender);
		}
		else {
			this.overflowed.set(true);
		}
		this.worker.wake();
	}

	/** Checks what is remembered now, on the caller's thread: for a stopping node, and for tests. */
	public void checkNow() {
		this.lastCheck = 0;
		check();
	}

	/** Schedules the catch-up of the companies the refused senders are; what fails stays for the next check. */
	private void check() {
		pace();
		Set<K> now = new HashSet<>(this.refused);
		boolean everyone = this.overflowed.getAndSet(false);
		long count = this.refusals.getAndSet(0);
		try {
			Set<UUID> companies = new HashSet<>(this.senders.companies(now));
			if (everyone) {
				companies.addAll(this.senders.all());
			}
			Instant at = this.scheduler.now().plus(this.after);
			for (UUID company : companies) {
				if (this.scheduler.scheduleIfNotExists(this.task.instance(company.toString()), at)) {
					log.warn("{}: {} webhook deliveries refused since the last check (no turn free in time); a "
							+ "catch-up run of company {} is due at {}", this.sourceName, count, company, at);
				}
			}
			this.refused.removeAll(now);
		}
		catch (RuntimeException ex) {
			this.overflowed.compareAndSet(false, everyone);
			this.refusals.addAndGet(count);
			throw ex;
		}
	}

	private void pace() {
		long wait = this.lastCheck + CHECK_EVERY.toMillis() - System.currentTimeMillis();
		if (wait > 0) {
			try {
				Thread.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.lastCheck = System.currentTimeMillis();
	}

	/** As long as a catch-up waits after a refusal: another run of the source usually takes about as long. */
	private Duration busyWait() {
		return this.after.compareTo(BUSY_WAIT) < 0 ? BUSY_WAIT : this.after;
	}

	/** Starts the company's catch-up run; while another run of the source is going, tries again a little later. */
	private CompletionHandler<Void> start(UUID companyId) {
		if (!this.senders.hears(companyId)) {
			return new CompletionHandler.OnCompleteRemove<>();
		}
		try {
			this.runs.start(companyId, this.kind, false, null, this.options, this.actor);
			log.info("{}: catch-up run of company {} started after refused webhook deliveries", this.sourceName,
					companyId);
			return new CompletionHandler.OnCompleteRemove<>();
		}
		catch (RequestRejectedException ex) {
			Instant later = this.scheduler.now().plus(busyWait());
			return (complete, operations) -> operations.reschedule(complete, later);
		}
	}

}
