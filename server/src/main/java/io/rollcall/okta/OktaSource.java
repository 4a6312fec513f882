package io.rollcall.okta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import io.rollcall.company.Companies;
import io.rollcall.company.CompanyHosts;
import io.rollcall.connector.ProviderException;
import io.rollcall.connector.ProviderSource;
import io.rollcall.connector.ReadAhead;
import io.rollcall.directory.DirectoryBatch;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.sync.SourceReadException;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncRun;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * People from Okta: the users assigned to the Rollcall app.
 * <p>
 * A full run lists every assigned user (so whoever it does not list is deactivated), its pages read and made into
 * records a few pages ahead of the run's planning ({@link ReadAhead}). An incremental run, made from
 * event hooks, fetches only the people the events name, and names as departed those whose latest event removed
 * them (deactivated, suspended, deleted, unassigned) or whom Okta answers are not assigned (E0000007 for that app
 * user, nothing else: any other error fails the run); it deactivates nobody else.
 * People whose profile alone changed and whom Rollcall has active from Okta are read a hundred at a time
 * ({@code GET /api/v1/users?filter=id eq "..." or ...}; a filter, unlike a search, reads up-to-date data); anyone
 * else is read as the app's user, one call each, which also says whether they are still assigned.
 */
@Component
class OktaSource extends ProviderSource<OktaConnection, OktaClient> {

	static final String KIND = "okta";

	/** Okta's largest page of app users. */
	static final int PAGE_SIZE = 500;

	/** Statuses of people who may not sign in: deactivated here. */
	static final Set<String> INACTIVE = Set.of("SUSPENDED", "DEPROVISIONED");

	/**
	 * Pages of app users read ahead of planning: enough that planning does not wait for Okta, few enough that memory
	 * holds a few thousand users whatever the org's size.
	 */
	static final int PAGES_AHEAD = 4;

	/** Users named in one filter: two pages of Okta's list fit them, and the URL stays within a few kilobytes. */
	static final int FILTER_IDS = 100;

	private final OktaPictures pictures;

	private final DirectoryBatch directory;

	OktaSource(OktaConnections connections, OktaHttp okta, OktaPictures pictures, SourceSettingsStore settings,
			Companies companies, CompanyHosts hosts, DirectoryBatch directory) {
		super(OktaKind.PROVIDER, connections::find, okta::client, settings, companies, hosts);
		this.pictures = pictures;
		this.directory = directory;
	}

	@Override
	protected Reading open(SyncRun run, OktaConnection connection, RecordSink sink) {
		return new OktaReading(run, connection, sink);
	}

	/** One run's reading: its client, its settings and the pool for per-person calls. */
	private final class OktaReading extends Reading {

		OktaReading(SyncRun run, OktaConnection connection, RecordSink sink) {
			super("Okta", run, connection, sink);
		}

		@Override
		protected void full() {
			String path = "/api/v1/apps/" + OktaClient.enc(this.connection.appId()) + "/users?limit=" + PAGE_SIZE
					+ "&expand=user";
			try (ReadAhead<List<Listed>> pages = ReadAhead.start("okta-read-ahead-" + this.run.id(), PAGES_AHEAD,
					put -> listAppUsers(path, put))) {
				pages.forEach(this::hand);
			}
			catch (ProviderException ex) {
				if (OktaClient.notFound(ex, this.connection.appId(), "AppInstance")) {
					throw new SourceReadException("The app " + this.connection.appId()
							+ " was not found in Okta (" + ex.code() + "); check the app's id in the Okta settings",
							ex);
				}
				throw ex;
			}
		}

		/**
		 * Every app user, a page's worth of records at a time, on the read-ahead's thread: nothing here is handed to
		 * the plan, whose writer is the run's thread's.
		 */
		private void listAppUsers(String path, Consumer<List<Listed>> put) {
			List<JsonNode> users = new ArrayList<>();
			List<Listed> unreadable = new ArrayList<>();
			this.client.forEach(path, appUser -> {
				JsonNode user = appUser.path("_embedded").path("user");
				if (!user.isObject()) {
					unreadable.add(new Listed(appUser.path("id").asString("?"), null,
							"Okta listed an app user without its user profile"));
					return;
				}
				users.add(user);
				if (users.size() == PAGE_SIZE) {
					put.accept(records(users, unreadable));
					users.clear();
					unreadable.clear();
				}
			});
			if (!users.isEmpty() || !unreadable.isEmpty()) {
				put.accept(records(users, unreadable));
			}
		}

		@Override
		protected void incremental() {
			RunOptions options = RunOptions.of(this.run);
			for (String id : options.departed()) {
				this.sink.departed(id, "removed in Okta");
			}
			List<String> ids = new ArrayList<>(options.users());
			ids.addAll(readProfiles(options.profiles()));
			for (int from = 0; from < ids.size(); from += 100) {
				List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 100));
				handle(readEach(chunk, this::fetchAssigned, "not assigned to the app in Okta"));
			}
		}

		/**
		 * Reads together the people Rollcall has active from Okta, whose assignment their events left as it was, and
		 * hands them on; returns the rest (not active here, or not found by the filter) to be read as app users.
		 */
		private List<String> readProfiles(List<String> userIds) {
			List<String> rest = new ArrayList<>();
			if (userIds.isEmpty()) {
				return rest;
			}
			Set<String> active = OktaSource.this.directory.activeExternalIds(this.run.companyId(), KIND, userIds);
			List<String> known = new ArrayList<>();
			for (String id : userIds) {
				(active.contains(id) ? known : rest).add(id);
			}
			List<List<String>> chunks = new ArrayList<>();
			List<Future<List<JsonNode>>> calls = new ArrayList<>();
			for (int from = 0; from < known.size(); from += FILTER_IDS) {
				List<String> chunk = known.subList(from, Math.min(known.size(), from + FILTER_IDS));
				chunks.add(chunk);
				calls.add(submit(() -> fetchByIds(chunk)));
			}
			for (int i = 0; i < chunks.size(); i++) {
				List<JsonNode> users = await(calls.get(i));
				Set<String> found = new HashSet<>();
				users.forEach(user -> found.add(user.path("id").asString()));
				chunks.get(i).stream().filter(id -> !found.contains(id)).forEach(rest::add);
				handle(users);
			}
			return rest;
		}

		private List<JsonNode> fetchByIds(List<String> userIds) {
			Set<String> wanted = new HashSet<>(userIds);
			StringBuilder filter = new StringBuilder();
			for (String id : userIds) {
				filter.append(filter.isEmpty() ? "" : " or ")
					.append("id eq \"")
					.append(id.replace("\"", "\\\""))
					.append('"');
			}
			List<JsonNode> users = new ArrayList<>();
			this.client.forEach(
					"/api/v1/users?limit=200&filter=" + OktaClient.enc(filter.toString()).replace("+", "%20"),
					user -> {
						if (wanted.contains(user.path("id").asString())) {
							users.add(user);
						}
					});
			return users;
		}

		/**
		 * The user when they exist and are assigned to the app; null only when Okta says they are not (E0000007 naming
		 * the app user, or the user). Any other answer (E0000022, E0000006, E0000007 about the app, ...) fails the run:
		 * a provider error is never read as a departure.
		 */
		private JsonNode fetchAssigned(String userId) {
			String assignment = "/api/v1/apps/" + OktaClient.enc(this.connection.appId()) + "/users/"
					+ OktaClient.enc(userId)
					+ "?expand=user";
			return this.client.find(assignment, userId, "AppUser").map(appUser -> {
				JsonNode embedded = appUser.path("_embedded").path("user");
				return embedded.isObject() ? embedded
						: this.client.find("/api/v1/users/" + OktaClient.enc(userId), userId, "User").orElse(null);
			}).orElse(null);
		}

		/** Turns users into records and hands them to the plan. */
		private void handle(List<JsonNode> users) {
			hand(records(users, List.of()));
		}

		/** Hands records and problems to the plan, on the run's thread. */
		private void hand(List<Listed> listed) {
			for (Listed item : listed) {
				if (item.problem() != null) {
					this.sink.problem(item.id(), item.problem());
				}
				if (item.record() != null) {
					this.sink.record(item.record(), item.id());
				}
			}
		}

		/**
		 * The users as records, after {@code unreadable}; their new pictures fetched in parallel. Only a picture to
		 * fetch or to forget takes a call of its own: one unchanged or absent is known from what is stored.
		 */
		private List<Listed> records(List<JsonNode> users, List<Listed> unreadable) {
			List<Listed> listed = new ArrayList<>(unreadable);
			if (users.isEmpty()) {
				return listed;
			}
			List<String> ids = users.stream().map(u -> u.path("id").asString()).toList();
			Map<String, OktaPictures.Stored> stored = OktaSource.this.pictures.stored(this.run.companyId(), ids);
			Map<String, Future<Picture>> pictureCalls = new HashMap<>();
			for (JsonNode user : users) {
				String id = user.path("id").asString();
				String url = pictureUrl(user);
				if (known(id, url, stored.get(id)) == null) {
					pictureCalls.put(id, submit(() -> picture(id, url, stored.get(id))));
				}
			}
			for (JsonNode user : users) {
				String id = user.path("id").asString();
				Future<Picture> call = pictureCalls.get(id);
				Picture picture = call == null ? known(id, pictureUrl(user), stored.get(id)) : await(call);
				String manager = this.managers ? user.path("profile").path("managerId").asString(null) : null;
				listed.add(new Listed(id,
						record(user, manager == null || manager.isBlank() ? null : manager, picture.avatarUrl()),
						picture.problem()));
			}
			return listed;
		}

		private String pictureUrl(JsonNode user) {
			String url = user.path("profile").path(this.connection.pictureAttribute()).asString(null);
			return url == null || url.isBlank() ? null : url.strip();
		}

		/** The picture when nothing is to be fetched or forgotten for it; null when something is. */
		private Picture known(String userId, String url, OktaPictures.Stored stored) {
			if (url == null && stored == null) {
				return new Picture(null, null);
			}
			if (url != null && stored != null && stored.sourceUrl().equals(url)) {
				return new Picture(avatarUrl(userId, stored.sha256()), null);
			}
			return null;
		}

		/**
		 * The avatar URL for the user's picture, fetching it only when its URL changed; null for none. Runs on a
		 * picture thread, so a refused picture's problem is returned, not reported.
		 */
		private Picture picture(String userId, String url, OktaPictures.Stored stored) {
			if (url == null) {
				if (stored != null) {
					OktaSource.this.pictures.forget(this.run.companyId(), userId);
				}
				return new Picture(null, null);
			}
			if (stored != null && stored.sourceUrl().equals(url)) {
				return new Picture(avatarUrl(userId, stored.sha256()), null);
			}
			try {
				String sha = OktaSource.this.pictures.fetchAndStore(this.run.companyId(), userId, url,
						this.connection.allowPrivatePictures());
				return new Picture(avatarUrl(userId, sha), null);
			}
			catch (OktaPictures.Refused ex) {
				// A picture that cannot be taken keeps the avatar Rollcall has; the person is still synced.
				return new Picture(stored == null ? null : avatarUrl(userId, stored.sha256()),
						"the picture was not taken: " + ex.getMessage());
			}
		}

		/** @param problem why a picture was not taken, for the plan; null when it was, or there is none */
		private record Picture(String avatarUrl, String problem) {
		}

		/**
		 * A listed user as the plan takes them.
		 *
		 * @param record null when the user could not be read
		 * @param problem what to report of them (a picture not taken, a user unreadable); null for nothing
		 */
		private record Listed(String id, SourceRecord record, String problem) {
		}

	}

	/** An Okta user as a source record: the profile's attributes as text; suspended and deactivated users disabled. */
	static SourceRecord record(JsonNode user, String managerRef, String avatarUrl) {
		Map<String, String> attributes = new HashMap<>();
		for (Map.Entry<String, JsonNode> entry : user.path("profile").properties()) {
			JsonNode value = entry.getValue();
			if (value.isString() || value.isNumber() || value.isBoolean()) {
				attributes.put(entry.getKey(), value.asString());
			}
		}
		if (avatarUrl != null) {
			attributes.put("avatar", avatarUrl);
		}
		attributes.put("status", user.path("status").asString(""));
		boolean enabled = !INACTIVE.contains(user.path("status").asString(""));
		return new SourceRecord(user.path("id").asString(), attributes, enabled, managerRef, avatarUrl, List.of());
	}

	/**
	 * What a run of this source is asked to do, from its options: nothing for a full run; for an incremental one, the
	 * {@code users} to fetch as app users, the {@code profiles} that may be read together, and the {@code departed}
	 * to deactivate.
	 */
	record RunOptions(boolean incremental, List<String> users, List<String> profiles, List<String> departed) {

		static RunOptions of(SyncRun run) {
			return of(run.options());
		}

		static RunOptions of(Map<String, Object> stored) {
			if (!isIncremental(stored)) {
				return new RunOptions(false, List.of(), List.of(), List.of());
			}
			return new RunOptions(true, strings(stored.get("users")), strings(stored.get("profiles")),
					strings(stored.get("departed")));
		}

		/**
		 * These changes and {@code newer} ones in one run: a user named by both is what the newer events say, except
		 * that a profile update does not spare reading the assignment an older event asked for (or a departure made
		 * doubtful): such a user is read as the app's user, which says both.
		 */
		RunOptions fold(RunOptions newer) {
			java.util.LinkedHashSet<String> read = new java.util.LinkedHashSet<>(this.users);
			java.util.LinkedHashSet<String> profilesOnly = new java.util.LinkedHashSet<>(this.profiles);
			java.util.LinkedHashSet<String> gone = new java.util.LinkedHashSet<>(this.departed);
			for (String user : newer.profiles) {
				if (!read.contains(user) && !gone.remove(user)) {
					profilesOnly.add(user);
				}
				else {
					read.add(user);
				}
			}
			for (String user : newer.users) {
				profilesOnly.remove(user);
				gone.remove(user);
				read.add(user);
			}
			for (String user : newer.departed) {
				profilesOnly.remove(user);
				read.remove(user);
				gone.add(user);
			}
			return new RunOptions(true, List.copyOf(read), List.copyOf(profilesOnly), List.copyOf(gone));
		}

		Map<String, Object> asMap() {
			return incrementalOptions(
					Map.of("users", this.users, "profiles", this.profiles, "departed", this.departed));
		}

	}

}
