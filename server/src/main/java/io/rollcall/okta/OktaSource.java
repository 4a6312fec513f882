package io.rollcall.okta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

import io.rollcall.company.Companies;
import io.rollcall.company.CompanyHosts;
import io.rollcall.connector.ProviderException;
import io.rollcall.connector.ProviderSource;
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
 * A full run lists every assigned user (so whoever it does not list is deactivated). An incremental run, made from
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
			List<JsonNode> batch = new ArrayList<>();
			try {
				this.client.forEach(path, appUser -> {
					JsonNode user = appUser.path("_embedded").path("user");
					if (!user.isObject()) {
						this.sink.problem(appUser.path("id").asString("?"),
								"Okta listed an app user without its user profile");
						return;
					}
					batch.add(user);
					if (batch.size() == PAGE_SIZE) {
						handle(batch);
						batch.clear();
					}
				});
			}
			catch (ProviderException ex) {
				if (OktaClient.notFound(ex, this.connection.appId(), "AppInstance")) {
					throw new SourceReadException("The app " + this.connection.appId()
							+ " was not found in Okta (" + ex.code() + "); check the app's id in the Okta settings",
							ex);
				}
				throw ex;
			}
			handle(batch);
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

		/** Turns users into records, fetching new pictures in parallel. */
		private void handle(List<JsonNode> users) {
			List<String> ids = users.stream().map(u -> u.path("id").asString()).toList();
			Map<String, OktaPictures.Stored> stored = OktaSource.this.pictures.stored(this.run.companyId(), ids);
			Map<String, Future<Picture>> pictureCalls = new HashMap<>();
			for (JsonNode user : users) {
				String id = user.path("id").asString();
				String url = user.path("profile").path(this.connection.pictureAttribute()).asString(null);
				pictureCalls.put(id,
						submit(() -> picture(id, url == null || url.isBlank() ? null : url.strip(), stored.get(id))));
			}
			for (JsonNode user : users) {
				String id = user.path("id").asString();
				Picture picture = await(pictureCalls.get(id));
				// Reported here, on the run's thread: the plan's writer is not for the pictures' threads.
				if (picture.problem() != null) {
					this.sink.problem(id, picture.problem());
				}
				String avatar = picture.avatarUrl();
				String manager = this.managers ? user.path("profile").path("managerId").asString(null) : null;
				this.sink.record(record(user, manager == null || manager.isBlank() ? null : manager, avatar), id);
			}
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
