package io.rollcall.connector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

import io.rollcall.company.Companies;
import io.rollcall.company.CompanyHosts;
import io.rollcall.directory.Avatars;
import io.rollcall.mapping.FieldMapping;
import io.rollcall.sync.Source;
import io.rollcall.sync.SourceKind;
import io.rollcall.sync.SourceReadException;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncRun;

import org.springframework.util.Assert;

/**
 * A source read from a provider's API, as a full run (every person in scope, so whoever is not listed is
 * deactivated) or an incremental one (the changes its options name, which names its departures itself). A provider
 * supplies its {@link Reading}: what a full and an incremental run list, and how a person becomes a record.
 *
 * @param <C> a company's connection to the provider
 * @param <K> the provider's API client for one connection
 */
public abstract class ProviderSource<C, K> implements Source {

	/** The run option that marks a run incremental. */
	protected static final String MODE = "mode";

	private final SourceKind kind;

	private final String notSetUp;

	private final Function<UUID, Optional<C>> connections;

	private final Function<C, K> clients;

	private final SourceSettingsStore settings;

	private final Companies companies;

	private final CompanyHosts hosts;

	/**
	 * @param kind the source, whose kind runs, mappings and avatar URLs name it by, its field table, and the run's
	 * error when the company has no connection
	 * @param connections a company's connection to the provider, or empty when it is not set up
	 * @param clients the API client of a connection, made for each run
	 */
	protected ProviderSource(ProviderKind kind, Function<UUID, Optional<C>> connections,
			Function<C, K> clients, SourceSettingsStore settings, Companies companies, CompanyHosts hosts) {
		Assert.notNull(kind, "kind cannot be null");
		this.kind = kind.source();
		this.notSetUp = kind.notSetUp();
		this.connections = connections;
		this.clients = clients;
		this.settings = settings;
		this.companies = companies;
		this.hosts = hosts;
	}

	@Override
	public String kind() {
		return this.kind.kind();
	}

	@Override
	public List<FieldMapping> defaultMappings(SyncRun run) {
		return this.kind.mappings();
	}

	/** Only a full listing can tell who is gone; an incremental run names its departures itself. */
	@Override
	public boolean deactivatesMissing(SyncRun run, SourceSettings settings) {
		return !isIncremental(run.options());
	}

	@Override
	public void read(SyncRun run, RecordSink sink) {
		C connection = this.connections.apply(run.companyId())
			.orElseThrow(() -> SourceReadException.permanent(this.notSetUp));
		try (Reading reading = open(run, connection, sink)) {
			if (isIncremental(run.options())) {
				reading.incremental();
			}
			else {
				reading.full();
			}
		}
		catch (ProviderException ex) {
			throw new SourceReadException(ex.getMessage(), ex);
		}
	}

	/**
	 * One run's reading.
	 *
	 * @throws SourceReadException (permanent) when the connection cannot be used yet
	 */
	protected abstract Reading open(SyncRun run, C connection, RecordSink sink);

	/** Whether a run's stored options make it incremental. */
	protected static boolean isIncremental(Map<String, Object> options) {
		return options != null && "incremental".equals(options.get(MODE));
	}

	/** The stored options of an incremental run asked for {@code what}. */
	protected static Map<String, Object> incrementalOptions(Map<String, Object> what) {
		Map<String, Object> options = new HashMap<>(what);
		options.put(MODE, "incremental");
		return Map.copyOf(options);
	}

	/** A stored list of ids as strings; empty when absent. */
	protected static List<String> strings(Object value) {
		List<String> list = new ArrayList<>();
		if (value instanceof Collection<?> values) {
			values.forEach(v -> list.add(String.valueOf(v)));
		}
		return list;
	}

	/**
	 * One run's reading, with a bounded number of per-person calls in flight: enough to hide the provider's answer
	 * time, few enough to stay within its rate limits.
	 */
	public abstract class Reading implements AutoCloseable {

		/** How many per-person calls one run keeps in flight. */
		private static final int PARALLEL_CALLS = 16;

		private final String provider;

		protected final SyncRun run;

		/** The company's connection to the provider. */
		protected final C connection;

		/** The API client this run reads with. */
		protected final K client;

		protected final RecordSink sink;

		/** Whether people's managers are set from this source, as the company chose. */
		protected final boolean managers;

		/** The company's address, that avatar URLs start with. */
		private final String baseUrl;

		private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

		private final Semaphore inFlight = new Semaphore(PARALLEL_CALLS);

		/** @param provider the provider's name in messages */
		protected Reading(String provider, SyncRun run, C connection, RecordSink sink) {
			this.provider = provider;
			this.run = run;
			this.connection = connection;
			this.sink = sink;
			this.managers = ProviderSource.this.settings.get(run.companyId(), ProviderSource.this.kind())
				.assignManagers();
			this.baseUrl = ProviderSource.this.hosts.baseUrl(ProviderSource.this.companies.get(run.companyId()));
			this.client = ProviderSource.this.clients.apply(connection);
		}

		/** The URL of the avatar made of the user's picture with the hash {@code sha256}. */
		protected final String avatarUrl(String userId, String sha256) {
			return this.baseUrl + Avatars.path(ProviderSource.this.kind(), userId, sha256);
		}

		/** Lists every person in scope. */
		protected abstract void full();

		/** Reads the changes the run's options name. */
		protected abstract void incremental();

		/** Starts a call, once fewer than {@link #PARALLEL_CALLS} are in flight. */
		protected final <T> Future<T> submit(Callable<T> call) {
			return this.pool.submit(() -> {
				this.inFlight.acquire();
				try {
					return call.call();
				}
				finally {
					this.inFlight.release();
				}
			});
		}

		/**
		 * Reads each of {@code ids} by a call of its own, {@link #PARALLEL_CALLS} at a time; whoever the provider answers
		 * does not exist ({@code read} answers null) departs, for {@code gone}. Any other failure fails the run.
		 *
		 * @return what was read, in the order of {@code ids}
		 */
		protected final <T> List<T> readEach(List<String> ids, Function<String, T> read, String gone) {
			List<Future<T>> calls = new ArrayList<>();
			for (String id : ids) {
				calls.add(submit(() -> read.apply(id)));
			}
			List<T> found = new ArrayList<>();
			for (int i = 0; i < ids.size(); i++) {
				T item = await(calls.get(i));
				if (item == null) {
					this.sink.departed(ids.get(i), gone);
				}
				else {
					found.add(item);
				}
			}
			return found;
		}

		/** A call's result, or its failure as it was thrown. */
		protected final <T> T await(Future<T> future) {
			try {
				return future.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SourceReadException("The run was interrupted", ex);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw new SourceReadException("Reading from " + this.provider + " failed: " + ex.getCause(),
						ex.getCause());
			}
		}

		@Override
		public void close() {
			this.pool.shutdownNow();
		}

	}

}
