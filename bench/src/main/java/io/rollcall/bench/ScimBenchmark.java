package io.rollcall.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SCIM server under an identity provider's load, from this separate process over loopback: paging the whole
 * directory while others write (no skips, no repeats), a mixed load of lookups by userName and externalId, creates
 * and PATCHes, and adding one member to a group of 50,000. Aimed at Rollcall's {@code /scim/v2} by default, or at
 * another SCIM server's base path and token ({@link #at}) for a side-by-side run.
 */
final class ScimBenchmark {

	/** Sends one request: method, host, path, Authorization header, JSON body. */
	@FunctionalInterface
	interface Http {

		HttpResponse<String> send(String method, String host, String path, String authorization, String body)
				throws IOException, InterruptedException;

	}

	private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

	/** A list answer with no one in it: a lookup that found nobody. */
	private static final Pattern NOBODY = Pattern.compile("\"totalResults\"\\s*:\\s*0\\b");

	/** A user's title replaced, in the PatchOp form both Rollcall and Ory Polis read (a path and a value). */
	private static final String TITLE_PATCH = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
			+ "\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Title %d\"}]}";

	private final Http http;

	private final BiConsumer<String, String> row;

	private final String host;

	private final String apiKey;

	private final int port;

	private String token;

	/** Where the server's SCIM resources are: {@code /Users} and {@code /Groups} follow it. */
	private String base = "/scim/v2";

	/** Users the mixed load created, over all its runs: each POST names a new one. */
	private final AtomicInteger creates = new AtomicInteger();

	ScimBenchmark(Http http, BiConsumer<String, String> row, String host, String apiKey, int port) {
		this.http = http;
		this.row = row;
		this.host = host;
		this.apiKey = apiKey;
		this.port = port;
	}

	/**
	 * A SCIM server set up by someone else (a peer's, whose directory and token its own start made): only the
	 * keep-alive loads ({@link #create}, {@link #mixedFigures}) are sent to it.
	 */
	static ScimBenchmark at(BiConsumer<String, String> row, int port, String host, String base, String authorization) {
		ScimBenchmark scim = new ScimBenchmark((method, on, path, auth, body) -> {
			throw new UnsupportedOperationException("Only the keep-alive loads go to " + base);
		}, row, host, null, port);
		scim.base = base;
		scim.token = authorization;
		return scim;
	}

	void run(int people) throws Exception {
		List<String> ids = paging(enable(people));
		mixed(ids, 32, 30);
		group(ids, 50_000);
	}

	/** Switches SCIM on for the company and makes its token; the number of people, to page through. */
	int enable(int people) throws Exception {
		this.http.send("PUT", this.host, "/api/v1/integrations/scim", this.apiKey,
				"{\"enabled\":true,\"invitationPolicy\":\"never\"}");
		String created = this.http.send("POST", this.host, "/api/v1/integrations/scim/tokens", this.apiKey,
				"{\"name\":\"bench\"}")
			.body();
		this.token = Benchmarks.bearer(created);
		return people;
	}

	/** Every user's id, paged (count=100) as a provider reconciling would, with one row for the paging. */
	List<String> ids(int people) throws Exception {
		return paging(people);
	}

	/**
	 * The mixed load sent to {@code port} (a load balancer in front of several nodes, say) for {@code warmup} +
	 * {@code seconds}; one row for the last {@code seconds}.
	 */
	void mixedOn(int port, List<String> ids, int clients, long warmup, long seconds, String where) throws Exception {
		List<long[]> answers = mixedLoad(port, ids, ScimBenchmark::importedUserName, shares(), clients,
				warmup + seconds);
		window("SCIM mixed load, " + clients + " keep-alive connections, " + where + ", seconds " + warmup + "–"
				+ (warmup + seconds) + " of the load (" + kinds() + ")", answers, warmup, warmup + seconds);
	}

	/** Pages through everyone with count=100 while another client creates users; every id must come once. */
	private List<String> paging(int people) throws Exception {
		AtomicInteger writes = new AtomicInteger();
		Thread writer = Thread.ofPlatform().start(() -> {
			int n = 0;
			while (!Thread.currentThread().isInterrupted()) {
				try {
					scim("POST", "/Users",
							"{\"userName\":\"pager" + n++ + "@sync.test\",\"name\":{\"givenName\":\"P\"}}");
					writes.incrementAndGet();
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					// counted as not written
				}
			}
		});
		List<String> ids = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		int repeats = 0;
		long start = System.nanoTime();
		int pages = 0;
		for (int startIndex = 1; startIndex <= people + 1; startIndex += 100) {
			String page = scim("GET", "/Users?startIndex=" + startIndex + "&count=100&attributes=userName", null)
				.body();
			pages++;
			Matcher id = ID.matcher(page);
			while (id.find()) {
				if (seen.add(id.group(1))) {
					ids.add(id.group(1));
				}
				else {
					repeats++;
				}
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		writer.interrupt();
		writer.join();
		// Everyone there before the paging began is in the first people + 1 places (owner included).
		this.row.accept(
				"page " + (people + 1) + " users by startIndex/count=100 while " + writes.get() + " users were created",
				String.format("%d pages in %.1f s (%.1f ms a page); %d distinct, %d repeats, %d missing", pages,
						seconds,
						seconds * 1000 / pages, seen.size(), repeats, Math.max(0, people + 1 - seen.size())));
		return ids;
	}

	/** 70 % lookups (userName, externalId), 15 % creates, 15 % PATCHes, from {@code clients} connections. */
	private void mixed(List<String> ids, int clients, int seconds) throws Exception {
		// Two windows of one run, both reported: seconds 5 to 5 + seconds (the JIT compiler of a freshly started server
		// still takes a third of a core then) and the last `seconds` after a minute (steady: what a provider pushing
		// into a running server meets). -Dbench.scimWarmup moves the second window.
		long warmup = Long.getLong("bench.scimWarmup", 60);
		List<long[]> answers = mixedLoad(this.port, ids, ScimBenchmark::importedUserName, shares(), clients,
				warmup + seconds);
		window("SCIM mixed load, " + clients + " keep-alive connections, seconds 5–" + (5 + seconds)
				+ " of the load, the server's JIT compiler still busy (" + kinds() + ")", answers, 5, 5 + seconds);
		window("SCIM mixed load, " + clients + " keep-alive connections, seconds " + warmup + "–" + (warmup + seconds)
				+ " of the same load, steady (" + kinds() + ")", answers, warmup, warmup + seconds);
	}

	/**
	 * The share of each kind in percent: userName eq, externalId eq, POST, PATCH; another mix can be tried with
	 * -Dbench.scimMix=100,0,0,0 (a diagnosis, not the benchmark).
	 */
	private static int[] shares() {
		return java.util.Arrays.stream(System.getProperty("bench.scimMix", "55,15,15,15").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
	}

	private static String kinds() {
		int[] shares = shares();
		return shares[0] + " % userName eq, " + shares[1] + " % externalId eq, " + shares[2] + " % POST, " + shares[3]
				+ " % PATCH";
	}

	/** The n-th person of the CSV import the SCIM benchmark starts from, as a provider would spell them. */
	private static String importedUserName(int n) {
		return "P" + n + "@SYNC.TEST";
	}

	/**
	 * Every answer of the mixed load as (kind, when it was sent, how long it took, status, 1 when a lookup found
	 * nobody), for {@code total} s; the userName lookups ask for {@code userName.apply(n)}, n below the ids' count. A
	 * request that fails on the connection counts as status 0 and the client goes on over a new connection.
	 */
	private List<long[]> mixedLoad(int port, List<String> ids, IntFunction<String> userName, int[] shares,
			int clients, long total) throws Exception {
		// mix[i] is a dice value of the kind chosen for i in 0..99, in the ranges the branches below test.
		int[] mix = new int[100];
		int[] firstDice = { 0, 55, 70, 85 };
		for (int kind = 0, i = 0; kind < 4; kind++) {
			for (int n = 0; n < shares[kind] && i < 100; n++, i++) {
				mix[i] = firstDice[kind];
			}
		}
		// Every answer as (kind, when it was sent, how long it took), measured windows picked afterwards.
		List<long[]> answers = Collections.synchronizedList(new ArrayList<>());
		long begin = System.nanoTime();
		long end = begin + total * 1_000_000_000L;
		try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
			List<Future<?>> futures = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				futures.add(pool.submit(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					// One keep-alive connection per client, as identity providers keep theirs open.
					try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
						while (System.nanoTime() < end) {
							int dice = mix[random.nextInt(100)];
							long t = System.nanoTime();
							KeepAliveConnection.Answer response;
							try {
								if (dice < 55) {
									response = connection.send("GET", this.host, this.base + "/Users?filter="
											+ q("userName eq \"" + userName.apply(random.nextInt(ids.size())) + "\""),
											this.token, null);
								}
								else if (dice < 70) {
									response = connection.send("GET", this.host,
											this.base + "/Users?filter="
													+ q("externalId eq \"mixed" + random.nextInt(1000) + "\""),
											this.token, null);
								}
								else if (dice < 85) {
									response = connection.send("POST", this.host, this.base + "/Users", this.token,
											user("mixed", this.creates.incrementAndGet()));
								}
								else {
									String id = ids.get(random.nextInt(ids.size()));
									response = connection.send("PATCH", this.host, this.base + "/Users/" + id,
											this.token, TITLE_PATCH.formatted(random.nextInt(1000)));
								}
							}
							catch (IOException ex) {
								response = new KeepAliveConnection.Answer(0, "", null);
							}
							int kind = dice < 55 ? 0 : dice < 70 ? 1 : dice < 85 ? 2 : 3;
							boolean miss = kind < 2 && NOBODY.matcher(response.body()).find();
							answers.add(new long[] { kind, t - begin, System.nanoTime() - t, response.status(),
									miss ? 1 : 0 });
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		return answers;
	}

	/**
	 * The mixed load on a server that has served nothing but its set-up (a company, a SCIM token): lookups by userName
	 * and externalId of users the load itself creates, creates, and PATCHes of created users (a create while there are
	 * none yet), from {@code clients} keep-alive connections for {@code seconds}. The answers' requests a second,
	 * second by second, for {@link #rate}.
	 */
	List<long[]> fromFreshStart(int clients, long seconds) throws Exception {
		int[] shares = shares();
		List<String> created = Collections.synchronizedList(new ArrayList<>());
		List<long[]> answers = Collections.synchronizedList(new ArrayList<>());
		long begin = System.nanoTime();
		long end = begin + seconds * 1_000_000_000L;
		try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
			List<Future<?>> futures = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				futures.add(pool.submit(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					try (KeepAliveConnection connection = new KeepAliveConnection(this.port)) {
						while (System.nanoTime() < end) {
							int dice = random.nextInt(100);
							int known = created.size();
							long t = System.nanoTime();
							KeepAliveConnection.Answer response;
							if (dice < shares[0]) {
								response = connection.send("GET", this.host, this.base + "/Users?filter="
										+ q("userName eq \"fresh" + random.nextInt(known + 1) + "@sync.test\""),
										this.token, null);
							}
							else if (dice < shares[0] + shares[1]) {
								response = connection.send("GET", this.host, this.base + "/Users?filter="
										+ q("externalId eq \"fresh" + random.nextInt(known + 1) + "\""), this.token,
										null);
							}
							else if (dice < shares[0] + shares[1] + shares[2] || known == 0) {
								int n = this.creates.incrementAndGet();
								response = connection.send("POST", this.host, this.base + "/Users", this.token,
										user("fresh", n));
								Matcher id = ID.matcher(response.body());
								if (response.status() == 201 && id.find()) {
									created.add(id.group(1));
								}
							}
							else {
								response = connection.send("PATCH", this.host,
										this.base + "/Users/" + created.get(random.nextInt(known)), this.token,
										TITLE_PATCH.formatted(random.nextInt(1000)));
							}
							answers.add(new long[] { 0, t - begin, System.nanoTime() - t, response.status() });
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		return answers;
	}

	/** A new user as identity providers send one: userName and externalId from {@code prefix} and {@code n}. */
	private static String user(String prefix, int n) {
		return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + prefix + n
				+ "@sync.test\",\"externalId\":\"" + prefix + n
				+ "\",\"name\":{\"givenName\":\"Bench\",\"familyName\":\"X"
				+ n + "\"},\"emails\":[{\"value\":\"" + prefix + n
				+ "@sync.test\",\"type\":\"work\",\"primary\":true}],\"title\":\"Engineer\",\"active\":true}";
	}

	/**
	 * Users created and how fast: the rate over all of them and over each quarter (in the order they were answered),
	 * the answers' p50 and p99, the answers that were not 2xx, and the new users' ids in the order of their numbers
	 * (null where the creation failed).
	 */
	record Creation(int users, double seconds, double[] quarters, double p50, double p99, long errors,
			List<String> ids) {

		double usersPerSecond() {
			return (this.users - this.errors) / this.seconds;
		}

	}

	/**
	 * Users {@code prefix + n} for n from 0 below {@code count}, created by POST /Users from {@code clients} keep-alive
	 * connections as fast as they are answered (an identity provider's initial push).
	 */
	Creation create(String prefix, int count, int clients) throws Exception {
		if (count == 0) {
			return new Creation(0, 0, new double[4], Double.NaN, Double.NaN, 0, List.of());
		}
		String[] ids = new String[count];
		long[] answered = new long[count];
		long[] took = new long[count];
		int[] status = new int[count];
		long begin = System.nanoTime();
		KeepAliveConnection.closedLoop(this.port, count, clients, (n, connection) -> {
			long t = System.nanoTime();
			KeepAliveConnection.Answer response;
			try {
				response = connection.send("POST", this.host, this.base + "/Users", this.token, user(prefix, n));
			}
			catch (IOException ex) {
				response = new KeepAliveConnection.Answer(0, "", null);
			}
			answered[n] = System.nanoTime() - begin;
			took[n] = answered[n] - (t - begin);
			status[n] = response.status();
			Matcher id = ID.matcher(response.body());
			if (response.status() / 100 == 2 && id.find()) {
				ids[n] = id.group(1);
			}
		});
		long[] byTime = answered.clone();
		java.util.Arrays.sort(byTime);
		double[] quarters = new double[4];
		for (int q = 0; q < 4; q++) {
			int from = count * q / 4;
			int to = count * (q + 1) / 4;
			long start = from == 0 ? 0 : byTime[from - 1];
			quarters[q] = (to - from) / ((byTime[to - 1] - start) / 1e9);
		}
		List<Long> latencies = new ArrayList<>(count);
		for (long nanos : took) {
			latencies.add(nanos);
		}
		long errors = java.util.Arrays.stream(status).filter(code -> code / 100 != 2).count();
		return new Creation(count, byTime[count - 1] / 1e9, quarters, pct(latencies, 50), pct(latencies, 99), errors,
				java.util.Arrays.asList(ids));
	}

	/**
	 * That the server does what the load asks, not only answers 2xx: a title PATCHed onto {@code id} is read back, and a
	 * lookup of {@code userName} finds that one user. "yes", or what went otherwise.
	 */
	String check(String id, String userName) throws IOException {
		try (KeepAliveConnection connection = new KeepAliveConnection(this.port)) {
			var patched = connection.send("PATCH", this.host, this.base + "/Users/" + id, this.token,
					TITLE_PATCH.formatted(424242));
			var read = connection.send("GET", this.host, this.base + "/Users/" + id, this.token, null);
			var found = connection.send("GET", this.host,
					this.base + "/Users?filter=" + q("userName eq \"" + userName + "\""), this.token, null);
			boolean titled = read.body().contains("\"title\":\"Title 424242\"");
			boolean one = Pattern.compile("\"totalResults\"\\s*:\\s*1\\b").matcher(found.body()).find()
					&& found.body().contains(id);
			return titled && one ? "yes"
					: String.format("no: PATCH %d, read back %d (title %s), lookup %d (%s)", patched.status(),
							read.status(), titled ? "replaced" : "not replaced", found.status(),
							one ? "found" : "not found");
		}
	}

	/**
	 * The figures of one window of a mixed load: requests a second, p50 and p99 over all of them, the answers that were
	 * not 2xx, the lookups that found nobody (of how many), and each kind's p50 / p99.
	 */
	record Mixed(double requestsPerSecond, double p50, double p99, long errors, long misses, long lookups,
			long requests, String byKind) {
	}

	/**
	 * The side-by-side mixed load: {@code shares} (userName eq, externalId eq, POST, PATCH in percent) from
	 * {@code clients} keep-alive connections for {@code warmup} + {@code seconds}, lookups of the users
	 * {@code userName.apply(n)}, PATCHes of {@code ids}; the figures of the last {@code seconds}.
	 */
	Mixed mixedFigures(List<String> ids, IntFunction<String> userName, int[] shares, int clients, long warmup,
			long seconds) throws Exception {
		List<long[]> answers = mixedLoad(this.port, ids, userName, shares, clients, warmup + seconds);
		List<Long> latencies = new ArrayList<>();
		List<List<Long>> byKind = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		long errors = 0;
		long misses = 0;
		long lookups = 0;
		for (long[] answer : answers) {
			if (answer[1] < warmup * 1_000_000_000L || answer[1] >= (warmup + seconds) * 1_000_000_000L) {
				continue;
			}
			latencies.add(answer[2]);
			byKind.get((int) answer[0]).add(answer[2]);
			errors += answer[3] / 100 == 2 ? 0 : 1;
			lookups += answer[0] < 2 ? 1 : 0;
			misses += answer[4];
		}
		StringBuilder kinds = new StringBuilder();
		String[] names = { "userName", "externalId", "POST", "PATCH" };
		for (int kind = 0; kind < 4; kind++) {
			if (!byKind.get(kind).isEmpty()) {
				kinds.append(kinds.isEmpty() ? "" : ", ")
					.append(String.format("%s %.1f / %.1f", names[kind], pct(byKind.get(kind), 50),
							pct(byKind.get(kind), 99)));
			}
		}
		return new Mixed(latencies.size() / (double) seconds, pct(latencies, 50), pct(latencies, 99), errors, misses,
				lookups, latencies.size(), kinds.toString());
	}

	/** The same mixed load sent by wrk to this server: its port, Host, base path and token. */
	WrkLoad wrk() {
		return new WrkLoad(this.port, this.host, this.base, this.token);
	}

	/**
	 * One member added to a group of {@code size}, {@code adds} times one after another: the group's id, how long its
	 * filling took (1,000 members a PATCH from 4 connections), the adds' p50 / p99 / max in ms and their answers not
	 * 2xx.
	 */
	record GroupAdd(String group, int size, double fillSeconds, int adds, double p50, double p99, double max,
			long errors) {
	}

	/**
	 * A group made empty and filled with the first {@code size} of {@code ids}, then {@code adds} single-member
	 * {@code PATCH /Groups/{id}} from one connection, each adding the next of {@code ids}, as an identity provider
	 * assigns one person at a time.
	 */
	GroupAdd groupAdd(List<String> ids, int size, int adds) throws Exception {
		if (ids.size() < size + adds) {
			throw new IllegalArgumentException(ids.size() + " users for a group of " + size + " and " + adds + " adds");
		}
		String group;
		try (KeepAliveConnection connection = new KeepAliveConnection(this.port)) {
			var created = connection.send("POST", this.host, this.base + "/Groups", this.token,
					"{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Everyone\"}");
			Matcher id = ID.matcher(created.body());
			if (created.status() != 201 || !id.find()) {
				throw new IllegalStateException("Group not created: " + created.status() + " " + created.body());
			}
			group = id.group(1);
		}
		long fillStart = System.nanoTime();
		KeepAliveConnection.closedLoop(this.port, (size + 999) / 1000, 4, (chunk, connection) -> {
			var filled = connection.send("PATCH", this.host, this.base + "/Groups/" + group, this.token,
					addMembers(ids.subList(chunk * 1000, Math.min(size, (chunk + 1) * 1000))));
			if (filled.status() / 100 != 2) {
				throw new IllegalStateException("Group not filled: " + filled.status() + " " + filled.body());
			}
		});
		double fill = (System.nanoTime() - fillStart) / 1e9;
		List<Long> took = new ArrayList<>();
		long errors = 0;
		try (KeepAliveConnection connection = new KeepAliveConnection(this.port)) {
			for (int i = 0; i < adds; i++) {
				long t = System.nanoTime();
				var added = connection.send("PATCH", this.host, this.base + "/Groups/" + group, this.token,
						addMembers(List.of(ids.get(size + i))));
				took.add(System.nanoTime() - t);
				errors += added.status() / 100 == 2 ? 0 : 1;
			}
		}
		return new GroupAdd(group, size, fill, adds, pct(took, 50), pct(took, 99), pct(took, 100), errors);
	}

	/** Whether the group read back by {@code GET /Groups/{id}} holds every one of {@code users}. */
	boolean groupHolds(String group, List<String> users) throws IOException {
		try (KeepAliveConnection connection = new KeepAliveConnection(this.port)) {
			var read = connection.send("GET", this.host, this.base + "/Groups/" + group, this.token, null);
			Set<String> members = new HashSet<>();
			Matcher value = Pattern.compile("\"value\":\"([0-9a-f-]{36})\"").matcher(read.body());
			while (value.find()) {
				members.add(value.group(1));
			}
			return read.status() == 200 && members.containsAll(users);
		}
	}

	/** A PatchOp adding these users; "add" in lower case, the only spelling Ory Polis acts on. */
	private static String addMembers(List<String> members) {
		StringBuilder values = new StringBuilder();
		for (String member : members) {
			values.append(values.isEmpty() ? "" : ",").append("{\"value\":\"").append(member).append("\"}");
		}
		return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
				+ "\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[" + values + "]}]}";
	}

	/** Requests answered a second (errors not counted) among those sent from {@code fromSecond} to {@code toSecond}. */
	static double rate(List<long[]> answers, long fromSecond, long toSecond) {
		long answered = 0;
		synchronized (answers) {
			for (long[] answer : answers) {
				if (answer[1] >= fromSecond * 1_000_000_000L && answer[1] < toSecond * 1_000_000_000L
						&& answer[3] < 400) {
					answered++;
				}
			}
		}
		return answered / (double) (toSecond - fromSecond);
	}

	/** Errors (status 400 or more) among all the answers. */
	static long errors(List<long[]> answers) {
		synchronized (answers) {
			return answers.stream().filter(answer -> answer[3] >= 400).count();
		}
	}

	/** One row for the answers sent from {@code fromSecond} to {@code toSecond} of the mixed load. */
	private void window(String what, List<long[]> answers, long fromSecond, long toSecond) {
		List<Long> latencies = new ArrayList<>();
		List<List<Long>> byKind = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		long errors = 0;
		synchronized (answers) {
			for (long[] answer : answers) {
				if (answer[1] < fromSecond * 1_000_000_000L || answer[1] >= toSecond * 1_000_000_000L) {
					continue;
				}
				latencies.add(answer[2]);
				byKind.get((int) answer[0]).add(answer[2]);
				if (answer[3] / 100 != 2) {
					errors++;
				}
			}
		}
		this.row.accept(what, String.format(
				"%.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors of %d (p50 / p99 ms: userName %.1f / %.1f, externalId %.1f / %.1f, POST %.1f / %.1f, PATCH %.1f / %.1f)",
				latencies.size() / (double) (toSecond - fromSecond), pct(latencies, 50), pct(latencies, 99), errors,
				latencies.size(), pct(byKind.get(0), 50), pct(byKind.get(0), 99), pct(byKind.get(1), 50),
				pct(byKind.get(1), 99), pct(byKind.get(2), 50), pct(byKind.get(2), 99), pct(byKind.get(3), 50),
				pct(byKind.get(3), 99)));
	}

	/** A group filled to {@code size} members 1,000 a PATCH, then one member added and removed, timed. */
	private void group(List<String> ids, int size) throws Exception {
		if (ids.size() < size + 20) {
			this.row.accept("add one member to a " + size + "-member group", "skipped: only " + ids.size() + " users");
			return;
		}
		String created = scim("POST", "/Groups", "{\"displayName\":\"Everyone\",\"members\":[]}").body();
		Matcher id = ID.matcher(created);
		if (!id.find()) {
			throw new IllegalStateException("Group not created: " + created);
		}
		String group = id.group(1);
		long fillStart = System.nanoTime();
		for (int from = 0; from < size; from += 1000) {
			StringBuilder members = new StringBuilder();
			for (int i = from; i < Math.min(size, from + 1000); i++) {
				members.append(members.isEmpty() ? "" : ",").append("{\"value\":\"").append(ids.get(i)).append("\"}");
			}
			var response = scim("PATCH", "/Groups/" + group,
					"{\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":["
							+ members + "]}]}");
			if (response.statusCode() != 204) {
				throw new IllegalStateException(response.statusCode() + " " + response.body());
			}
		}
		double fill = (System.nanoTime() - fillStart) / 1e9;
		List<Long> adds = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String member = ids.get(size + i);
			long t = System.nanoTime();
			var response = scim("PATCH", "/Groups/" + group,
					"{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
							+ "\"Operations\":[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"" + member
							+ "\"}]}]}");
			adds.add(System.nanoTime() - t);
			if (response.statusCode() != 204) {
				throw new IllegalStateException(response.statusCode() + " " + response.body());
			}
		}
		this.row.accept("add one member to a " + size + "-member group (20 times; filled 1,000 a PATCH in "
				+ String.format("%.1f s", fill) + ")",
				String.format("median %.1f ms, max %.1f ms", pct(adds, 50), pct(adds, 100)));
	}

	private HttpResponse<String> scim(String method, String path, String body)
			throws IOException, InterruptedException {
		return this.http.send(method, this.host, this.base + path, this.token, body);
	}

	private static String q(String filter) {
		return URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static double pct(List<Long> nanos, int percentile) {
		if (nanos.isEmpty()) {
			return Double.NaN;
		}
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)) / 1e6;
	}

}
