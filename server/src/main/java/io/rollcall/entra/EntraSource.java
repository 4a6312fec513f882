package io.rollcall.entra;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import io.rollcall.company.Companies;
import io.rollcall.company.CompanyHosts;
import io.rollcall.connector.ManagersAhead;
import io.rollcall.connector.ProviderException;
import io.rollcall.connector.ProviderSource;
import io.rollcall.connector.ReadAhead;
import io.rollcall.directory.DirectoryBatch;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.sync.SourceReadException;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * People from Microsoft Entra ID: the users among the security group's members, nested groups included.
 * <p>
 * A full run lists every one of them (so whoever it does not list is deactivated), its pages read and made into records
 * a few pages ahead of the run's planning ({@link ReadAhead}); an incremental run, made from
 * change notifications, refreshes only the people they name, the people a users delta names, and, after a
 * membership change, whoever joined or left the group. Incremental runs deactivate only people they saw leave.
 */
@Component
class EntraSource extends ProviderSource<EntraConnection, GraphClient> {

	static final String KIND = "entra";

	/** The user fields Rollcall reads; {@code employeeHireDate} is only returned when selected. */
	static final String USER_FIELDS = "id,accountEnabled,givenName,surname,displayName,userPrincipalName,mail,jobTitle,"
			+ "department,officeLocation,preferredLanguage,employeeId,employeeHireDate,companyName,mobilePhone,businessPhones";

	/**
	 * Pages of members read ahead of planning: enough that planning does not wait for Graph, the photo queue or the
	 * records, few enough that memory holds about two thousand users whatever the group's size.
	 */
	static final int PAGES_AHEAD = 2;

	private static final Logger log = LoggerFactory.getLogger(EntraSource.class);

	private final EntraConnections connections;

	private final EntraPhotos photos;

	private final DirectoryBatch directory;

	private final Clock clock;

	EntraSource(EntraConnections connections, Graph graph, EntraPhotos photos, SourceSettingsStore settings,
			DirectoryBatch directory, Companies companies, CompanyHosts hosts, Clock clock) {
		super(EntraKind.PROVIDER, connections::find, graph::client, settings, companies, hosts);
		this.clock = clock;
		this.connections = connections;
		this.photos = photos;
		this.directory = directory;
	}

	@Override
	protected Reading open(SyncRun run, EntraConnection connection, RecordSink sink) {
		if (!connection.authorised()) {
			throw SourceReadException
				.permanent("Entra ID is not authorised yet: press Authorise and give admin consent first");
		}
		return new GraphReading(run, connection, sink);
	}

	/** One run's reading: its Graph client, its settings and the pool for per-person calls. */
	private final class GraphReading extends Reading {

		/**
		 * Whether Graph expands managers on member listings; when it refuses, managers are read one by one. Set by a
		 * full run's reader before its first page is handed on.
		 */
		private volatile boolean expandOnList = true;

		/**
		 * Whether the company has any photo stored or queued: on a first sync it has none, and the listing does not
		 * look each page's people up (at 100,000 people, 100 queries and 0.5 s of PostgreSQL beside the planning).
		 */
		private volatile boolean photosKnown = true;

		GraphReading(SyncRun run, EntraConnection connection, RecordSink sink) {
			super("Graph", run, connection, sink);
		}

		@Override
		protected void full() {
			// Only this run queues photos until it ends (the photo pass waits for runs), so none appear meanwhile.
			this.photosKnown = EntraSource.this.photos.any(this.run.companyId());
			// A team listed together, its lead first: handed as listed, most reports would be created before their
			// manager's row is committed, and then written a second time for the manager.
			ManagersAhead ordered = this.managers ? new ManagersAhead(this.sink, ManagersAhead.DISTANCE) : null;
			try (ReadAhead<List<Listed>> pages = ReadAhead.start("entra-read-ahead-" + this.run.id(), PAGES_AHEAD,
					this::listMembers)) {
				pages.forEach(listed -> {
					if (ordered == null) {
						hand(listed);
					}
					else {
						listed.forEach(item -> ordered.record(item.record(), item.id()));
					}
				});
			}
			// Only once the listing has ended: a listing that failed midway hands nothing more, and applies nothing.
			if (ordered != null) {
				ordered.finish();
			}
			startDeltaFromNow();
		}

		/**
		 * Every member, a page's worth of records at a time, on the read-ahead's thread: nothing here is handed to the
		 * plan, whose writer is the run's thread's.
		 */
		private void listMembers(Consumer<List<Listed>> put) {
			String group = "/groups/" + GraphClient.enc(this.connection.groupId());
			String select = "?$select=" + USER_FIELDS + "&$top=" + GraphClient.PAGE_SIZE + "&$count=true";
			String first = group + "/transitiveMembers/microsoft.graph.user" + select;
			GraphClient.Page<GraphUser> page;
			try {
				page = this.client.page(this.client.url(this.managers ? first + "&$expand=manager($select=id)" : first),
						true, this.client::user);
			}
			catch (ProviderException ex) {
				if (ex.notFound(GraphClient.RESOURCE_NOT_FOUND)) {
					throw groupNotFound(ex);
				}
				if (ex.status() != 400 || !this.managers) {
					throw ex;
				}
				// Graph would not expand managers here: list without, and ask for each person's manager.
				log.info("Graph refused $expand=manager on the group's members ({}); reading managers one by one",
						ex.getMessage());
				this.expandOnList = false;
				page = this.client.page(this.client.url(first), true, this.client::user);
			}
			put.accept(records(page.items()));
			if (page.nextLink() != null) {
				this.client.forEachPage(page.nextLink(), true, this.client::user, users -> put.accept(records(users)));
			}
		}

		/** After a full listing, later delta runs only need what changes from now on. */
		private void startDeltaFromNow() {
			try {
				String link = this.client.forEachPage("/users/delta?$select=id&$deltatoken=latest", false, items -> {
				});
				if (link != null) {
					EntraSource.this.connections.usersDeltaLink(this.run.companyId(), link);
				}
			}
			catch (ProviderException ex) {
				// Not fatal: the next delta run then falls back on a membership check.
				log.warn("Could not start a users delta for company {}: {}", this.run.companyId(), ex.getMessage());
			}
		}

		@Override
		protected void incremental() {
			RunOptions options = RunOptions.of(this.run);
			Set<String> refresh = new LinkedHashSet<>(options.users());
			boolean membership = options.membership();
			if (options.delta()) {
				String link = this.connection.usersDeltaLink();
				if (link == null) {
					membership = true;
				}
				else {
					try {
						String next = this.client.forEachPage(link, false,
								items -> items.forEach(item -> refresh.add(item.path("id").asString())));
						if (next != null) {
							EntraSource.this.connections.usersDeltaLink(this.run.companyId(), next);
						}
					}
					catch (ProviderException ex) {
						boolean expired = ex.status() == 410 || ex.status() == 400 || ex.status() == 404
								|| "syncStateNotFound".equalsIgnoreCase(ex.code());
						if (!expired) {
							throw ex;
						}
						// The delta token expired (syncStateNotFound, 410): compare the membership instead.
						EntraSource.this.connections.usersDeltaLink(this.run.companyId(), null);
						membership = true;
					}
				}
			}
			if (refresh.isEmpty() && !membership) {
				return;
			}
			// People Rollcall has as active members are refreshed without listing the group (at 100,000 members that
			// is 101 pages): a change of membership comes as its own notification, and the daily full sync settles
			// any left over. Anyone else may be new to the group, so only then is the group listed.
			Set<String> activeHere = membership ? Set.of()
					: EntraSource.this.directory.activeExternalIds(this.run.companyId(), KIND, refresh);
			Set<String> members = !membership && activeHere.containsAll(refresh) ? activeHere : memberIds();
			if (membership) {
				Set<String> known = new HashSet<>();
				EntraSource.this.directory.forEachIdentity(this.run.companyId(), KIND,
						(externalId, personId, active, email, role) -> {
							known.add(externalId);
							if (active != members.contains(externalId)) {
								refresh.add(externalId);
							}
						});
				for (String member : members) {
					if (!known.contains(member)) {
						refresh.add(member);
					}
				}
			}
			List<String> present = new ArrayList<>();
			for (String id : refresh) {
				if (members.contains(id)) {
					present.add(id);
				}
				else {
					this.sink.departed(id, "not in the group " + this.connection.groupId());
				}
			}
			for (int from = 0; from < present.size(); from += 100) {
				List<JsonNode> users = fetchUsers(present.subList(from, Math.min(present.size(), from + 100)));
				hand(records(users.stream().map(GraphUser::of).toList()));
			}
		}

		/** The ids of the users in the group, nested groups included: one short page per 999 members. */
		private Set<String> memberIds() {
			Set<String> ids = new HashSet<>();
			String url = "/groups/" + GraphClient.enc(this.connection.groupId())
					+ "/transitiveMembers/microsoft.graph.user?$select=id&$top=" + GraphClient.PAGE_SIZE
					+ "&$count=true";
			try {
				this.client.forEachPage(url, true, items -> items.forEach(item -> ids.add(item.path("id").asString())));
			}
			catch (ProviderException ex) {
				if (ex.notFound(GraphClient.RESOURCE_NOT_FOUND)) {
					throw groupNotFound(ex);
				}
				throw ex;
			}
			return ids;
		}

		private SourceReadException groupNotFound(ProviderException ex) {
			return new SourceReadException(
					"The security group " + this.connection.groupId() + " was not found in the tenant ("
							+ ex.code() + "); check its object id in the Entra ID settings",
					ex);
		}

		/**
		 * The users, naming as departed only those Graph says do not exist (404 {@code Request_ResourceNotFound}); any
		 * other error fails the run, so that a refusal or an outage is never read as a departure.
		 */
		private List<JsonNode> fetchUsers(List<String> ids) {
			return readEach(ids, id -> this.client.find("/users/" + GraphClient.enc(id) + "?$select=" + USER_FIELDS
					+ (this.managers ? "&$expand=manager($select=id)" : ""))
				.orElse(null), "deleted from the tenant");
		}

		/** Hands records to the plan, on the run's thread. */
		private void hand(List<Listed> listed) {
			for (Listed item : listed) {
				this.sink.record(item.record(), item.id());
			}
		}

		/**
		 * A page of users as records, fetching managers in parallel when Graph would not expand them. Photos cost a
		 * resource unit a person, so they stay out of runs: a record names the photo as last stored, and the people
		 * never looked at are queued for the paced photo pass ({@link EntraPhotoPass}), which sets avatars.
		 */
		private List<Listed> records(List<GraphUser> users) {
			if (users.isEmpty()) {
				return List.of();
			}
			List<String> ids = users.stream().map(GraphUser::id).toList();
			Map<String, EntraPhotos.Stored> stored = this.photosKnown
					? EntraSource.this.photos.stored(this.run.companyId(), ids) : Map.of();
			Map<String, Future<String>> managerCalls = new HashMap<>();
			List<String> unseen = new ArrayList<>();
			for (GraphUser user : users) {
				String id = user.id();
				if (user.enabled() && !stored.containsKey(id)) {
					unseen.add(id);
				}
				if (this.managers && !this.expandOnList) {
					managerCalls.put(id,
							submit(() -> this.client.find("/users/" + GraphClient.enc(id) + "/manager?$select=id")
								.map(m -> m.path("id").asString(""))
								.orElse("")));
				}
			}
			EntraSource.this.photos.enqueue(this.run.companyId(), unseen, EntraSource.this.clock.instant());
			List<Listed> listed = new ArrayList<>(users.size());
			for (GraphUser user : users) {
				String id = user.id();
				String manager = null;
				if (this.managers) {
					manager = managerCalls.containsKey(id) ? await(managerCalls.get(id)) : user.managerId();
				}
				EntraPhotos.Stored photo = stored.get(id);
				String url = photo == null || photo.sha256() == null ? null : avatarUrl(id, photo.sha256());
				listed.add(new Listed(id, user.record(manager, url)));
			}
			return listed;
		}

	}

	/** A listed user as the plan takes them. */
	private record Listed(String id, SourceRecord record) {
	}

	/**
	 * What a run of this source is asked to do, from its options: nothing for a full run; for an incremental one,
	 * {@code users} to refresh, {@code membership} to compare the group with the directory, {@code delta} to read the
	 * users delta.
	 */
	record RunOptions(boolean incremental, List<String> users, boolean membership, boolean delta) {

		static RunOptions of(SyncRun run) {
			return of(run.options());
		}

		/** These changes and {@code newer} ones in one run: every user named by either, every comparison either asks. */
		RunOptions fold(RunOptions newer) {
			java.util.LinkedHashSet<String> named = new java.util.LinkedHashSet<>(this.users);
			named.addAll(newer.users);
			return new RunOptions(true, List.copyOf(named), this.membership || newer.membership,
					this.delta || newer.delta);
		}

		static RunOptions of(Map<String, Object> stored) {
			if (!isIncremental(stored)) {
				return new RunOptions(false, List.of(), false, false);
			}
			return new RunOptions(true, strings(stored.get("users")), Boolean.TRUE.equals(stored.get("membership")),
					Boolean.TRUE.equals(stored.get("delta")));
		}

		Map<String, Object> asMap() {
			return incrementalOptions(Map.of("users", this.users, "membership", this.membership, "delta", this.delta));
		}

	}

}
