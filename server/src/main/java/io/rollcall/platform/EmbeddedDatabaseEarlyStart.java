package io.rollcall.platform;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javax.sql.DataSource;

import io.rollcall.platform.EmbeddedDatabaseConfiguration.EmbeddedDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Starts the bundled PostgreSQL (and initdb on a fresh data directory) on a thread of its own as soon as the settings
 * are known, so that it runs while Spring reads the configuration classes and makes the beans that come before the
 * DataSource: up to a second of a start on a fresh data directory (initdb) that Spring's main thread spent waiting
 * (bench/RESULTS.md, sixteenth session). {@link EmbeddedDatabaseConfiguration} takes the running server from here, and starts one itself when there
 * is none (a context made without {@code SpringApplication}).
 * <p>
 * The same thread then runs the Flyway migrations (on an existing data directory: their validation, 110-170 ms with
 * the AOT cache, bench/RESULTS.md, eighteenth session), and Spring Boot's Flyway initializer waits for them through
 * {@link #migrationsRunEarly} instead of running them again. Only with Boot's Flyway settings left as Rollcall's
 * application.yml has them (its migrations' location): any other {@code spring.flyway} setting (a target, a baseline)
 * leaves the migrations to Boot.
 * <p>
 * Listed in {@code META-INF/spring.factories}; runs after the context's initializers, so that settings added by them
 * (a test's {@code @DynamicPropertySource}) decide, as they do for the configuration's condition.
 */
final class EmbeddedDatabaseEarlyStart implements ApplicationListener<ApplicationPreparedEvent> {

	static final String BEAN_NAME = "embeddedDatabaseEarlyStart";

	/** Set by Spring's {@code AbstractAotProcessor} in the JVM that makes the ahead-of-time bean definitions. */
	private static final String AOT_PROCESSING = "spring.aot.processing";

	@Override
	public void onApplicationEvent(ApplicationPreparedEvent event) {
		ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
		// The build reads the configuration for Spring's ahead-of-time bean definitions in a JVM of its own (the
		// server's pom, process-aot): no database is started for that.
		if (Boolean.getBoolean(AOT_PROCESSING)) {
			return;
		}
		boolean external = !environment.resolvePlaceholders("${rollcall.database.url:}").isBlank();
		// Those definitions were decided with the bundled PostgreSQL: with a database of its own, this node would
		// start the bundled one and never use the one it was given.
		if (external && AotDetector.useGeneratedArtifacts() && isRollcall(event.getSpringApplication())) {
			throw new IllegalStateException("Rollcall was started with -Dspring.aot.enabled=true (bean definitions "
					+ "made at build time for the bundled PostgreSQL) and ROLLCALL_DATABASE_URL: start it without "
					+ "-Dspring.aot.enabled to use that database (./rollcall run does so by itself).");
		}
		// The same test as EmbeddedDatabaseConfiguration's condition, and only for Rollcall itself: another Spring
		// application in the same JVM (a test's relying party) has no bundled database.
		if (!isRollcall(event.getSpringApplication()) || external
				|| !(event.getApplicationContext().getBeanFactory() instanceof DefaultListableBeanFactory beans)
				|| beans.containsSingleton(BEAN_NAME)) {
			return;
		}
		Binder binder = Binder.get(environment);
		// Rollcall's application.yml always names one.
		Path dataDir = binder.bind("rollcall.data-dir", Path.class).orElse(null);
		if (dataDir == null) {
			return;
		}
		boolean durable = binder.bind("rollcall.database.durable", Boolean.class).orElse(false);
		Starting starting = new Starting(dataDir, durable, migrationLocations(binder));
		beans.registerSingleton(BEAN_NAME, starting);
		// Stops the server if the context fails or closes before the configuration has taken it.
		beans.registerDisposableBean(BEAN_NAME, starting);
	}

	/**
	 * The migrations' locations when Boot's Flyway settings are only those, else null (Boot runs the migrations with
	 * whatever else was set).
	 */
	static String[] migrationLocations(Binder binder) {
		Map<String, String> settings = binder.bind("spring.flyway", Bindable.mapOf(String.class, String.class))
			.orElse(Map.of());
		if (!settings.keySet().stream().allMatch(name -> name.startsWith("locations"))) {
			return null;
		}
		return binder.bind("spring.flyway.locations", String[].class).orElse(new String[] { "classpath:db/migration" });
	}

	/**
	 * Boot's Flyway initializer's strategy: waits for the migrations this early start ran, when it ran them on the
	 * DataSource and locations Boot's Flyway has; otherwise migrates as Boot would.
	 */
	static FlywayMigrationStrategy migrationsRunEarly(Starting starting) {
		return flyway -> {
			if (starting == null || !starting.migratedAs(flyway.getConfiguration().getDataSource(),
					flyway.getConfiguration().getLocations())) {
				flyway.migrate();
			}
		};
	}

	private static boolean isRollcall(SpringApplication application) {
		return application.getAllSources()
			.stream()
			.anyMatch(source -> source instanceof Class<?> type && type.getPackageName().startsWith("io.rollcall"));
	}

	/** A server being started; taken once by the configuration, which then owns it and closes it. */
	static final class Starting implements DisposableBean {

		private final CompletableFuture<EmbeddedDatabase> database = new CompletableFuture<>();

		/** Completed once the migrations have run (at once, false, when none were asked for or the start failed). */
		private final CompletableFuture<Boolean> migrated = new CompletableFuture<>();

		private final List<Location> locations;

		private boolean taken;

		Starting(Path dataDir, boolean durable) {
			this(dataDir, durable, null);
		}

		/** @param locations the Flyway migrations to run once the server is up; null for none */
		Starting(Path dataDir, boolean durable, String[] locations) {
			this.locations = (locations != null) ? Arrays.stream(locations).map(Location::new).toList() : null;
			Thread.ofPlatform().name("bundled-postgres-start").daemon().start(() -> {
				EmbeddedDatabase started;
				try {
					started = EmbeddedDatabase.start(dataDir, durable);
					this.database.complete(started);
				}
				catch (Throwable ex) {
					this.database.completeExceptionally(ex);
					this.migrated.complete(false);
					return;
				}
				if (this.locations == null) {
					this.migrated.complete(false);
					return;
				}
				try {
					Flyway.configure(EmbeddedDatabaseEarlyStart.class.getClassLoader())
						.dataSource(started.dataSource())
						.locations(this.locations.toArray(Location[]::new))
						.load()
						.migrate();
					this.migrated.complete(true);
				}
				catch (Throwable ex) {
					this.migrated.completeExceptionally(ex);
				}
			});
		}

		/**
		 * Whether the migrations were run here on this DataSource and these locations: waits for them, and throws
		 * their failure as Boot's own migration would have.
		 */
		boolean migratedAs(DataSource dataSource, Location[] locations) {
			EmbeddedDatabase started = this.database.getNow(null);
			if (this.locations == null || started == null || started.dataSource() != dataSource
					|| !this.locations.equals(Arrays.asList(locations))) {
				return false;
			}
			try {
				return this.migrated.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException cause) {
					throw cause;
				}
				throw ex;
			}
		}

		/** Waits until the server is up; its failure (the data directory in use, initdb failing) is thrown here. */
		synchronized EmbeddedDatabase take() {
			if (this.taken) {
				throw new IllegalStateException("The bundled PostgreSQL was already taken");
			}
			this.taken = true;
			try {
				return this.database.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException cause) {
					throw cause;
				}
				if (ex.getCause() instanceof Error error) {
					throw error;
				}
				throw ex;
			}
		}

		synchronized boolean taken() {
			return this.taken;
		}

		@Override
		public synchronized void destroy() throws Exception {
			if (this.taken) {
				return;
			}
			this.taken = true;
			try {
				EmbeddedDatabase started = this.database.join();
				// Not closed under a migration still running.
				this.migrated.exceptionally(ex -> false).join();
				started.close();
			}
			catch (CompletionException ex) {
				// It never started: nothing to stop.
			}
		}

	}

}
