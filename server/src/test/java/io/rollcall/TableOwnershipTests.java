package io.rollcall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each table has one owning module, and only that module's code names the table in SQL; the others call the owner.
 * A table named after a module ({@code okta_event}, {@code company}) is that module's; any other must be given its
 * owner here. A module that writes SQL against another's table fails this test, unless the pair is one of the few
 * still {@link #LEFT listed} (each with what it waits for, to be removed when moved).
 */
@Tag("unit")
class TableOwnershipTests {

	private static final Path MAIN = Path.of("src", "main", "java", "io", "rollcall");

	private static final Path MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");

	/**
	 * The tables not named after their module, by the module that owns them. A table named {@code {module}} or
	 * {@code {module}_...} needs no line: a new source's tables ({@code {kind}_connection}) are its own.
	 */
	private static final Map<String, Set<String>> OWNERS = Map.ofEntries(
			Map.entry("company", Set.of("api_key")),
			Map.entry("directory", Set.of("person", "person_identity", "person_tag", "tag", "team", "team_manager",
					"secondary_team_membership", "custom_field", "invitation")),
			Map.entry("mapping", Set.of("field_mapping_set")),
			Map.entry("csv", Set.of("upload")),
			Map.entry("sso", Set.of("credential")),
			Map.entry("events", Set.of("domain_event", "event_sequencer", "webhook_endpoint",
					"webhook_endpoint_progress", "webhook_delivery")),
			Map.entry("identityprovider", Set.of("oauth2_registered_client", "oauth2_authorization",
					"oauth2_authorization_token", "oauth2_refresh_token", "oauth2_authorization_consent", "signing_key",
					"backchannel_logout", "application_sign_in")),
			Map.entry("platform", Set.of("scheduled_tasks")));

	/**
	 * Crossings not yet moved behind their owner, by source file. SCIM's filters and group members are translated to
	 * SQL over the people's tables for one-statement lookups; they wait for a filter type the directory owns (issue 17).
	 */
	private static final Map<String, Set<String>> LEFT = Map.of(
			"scim/ScimFilterSql.java", Set.of("person_tag"),
			"scim/ScimGroups.java", Set.of("person_tag", "tag"),
			"scim/ScimUsers.java", Set.of("person", "person_identity"));

	@Test
	void tablesWhenCreatedByMigrationsThenEachHasOneOwningModule() throws IOException {
		Set<String> created = created();
		Set<String> modules = modules();
		assertThat(created.stream().filter(table -> owner(table, modules) == null).toList())
			.as("tables neither named after a module nor given one in OWNERS")
			.isEmpty();
		Set<String> listed = OWNERS.values()
			.stream()
			.flatMap(Set::stream)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(created).as("tables in OWNERS that no migration creates (any more)").containsAll(listed);
		assertThat(OWNERS.values().stream().mapToInt(Set::size).sum()).as("a table owned twice")
			.isEqualTo(listed.size());
		assertThat(listed.stream().filter(table -> namedAfter(table, modules) != null).toList())
			.as("tables in OWNERS that are named after a module (they need no line; or rename the table)")
			.isEmpty();
	}

	/** The tables the migrations leave, in the order Flyway runs them, so that a table dropped and made again counts. */
	private static Set<String> created() throws IOException {
		Set<String> created = new TreeSet<>();
		Pattern create = Pattern.compile("(?i)create table (?:if not exists )?([a-z_0-9]+)");
		Pattern drop = Pattern.compile("(?i)drop table (?:if exists )?([a-z_0-9]+)");
		try (Stream<Path> migrations = Files.list(MIGRATIONS)) {
			for (Path migration : migrations.sorted(Comparator.comparingInt(TableOwnershipTests::version)).toList()) {
				String sql = Files.readString(migration);
				Matcher table = create.matcher(sql);
				while (table.find()) {
					created.add(table.group(1).toLowerCase(java.util.Locale.ROOT));
				}
				Matcher dropped = drop.matcher(sql);
				while (dropped.find()) {
					created.remove(dropped.group(1).toLowerCase(java.util.Locale.ROOT));
				}
			}
		}
		return created;
	}

	/** The modules: the application package's direct sub-packages. */
	private static Set<String> modules() throws IOException {
		try (Stream<Path> entries = Files.list(MAIN)) {
			return entries.filter(Files::isDirectory)
				.map(dir -> dir.getFileName().toString())
				.collect(Collectors.toCollection(TreeSet::new));
		}
	}

	/** The table's owner: the module OWNERS gives it, else the module it is named after; null for neither. */
	private static String owner(String table, Set<String> modules) {
		return OWNERS.entrySet()
			.stream()
			.filter(entry -> entry.getValue().contains(table))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseGet(() -> namedAfter(table, modules));
	}

	/** The module a table is named after ({@code okta} for {@code okta_event}), the longest that fits; else null. */
	private static String namedAfter(String table, Set<String> modules) {
		return modules.stream()
			.filter(module -> table.equals(module) || table.startsWith(module + "_"))
			.max(Comparator.comparingInt(String::length))
			.orElse(null);
	}

	private static int version(Path migration) {
		String name = migration.getFileName().toString();
		return Integer.parseInt(name.substring(1, name.indexOf("__")));
	}

	@Test
	void sqlWhenItNamesATableThenInItsOwningModule() throws IOException {
		Map<String, String> ownerOf = new TreeMap<>();
		Set<String> modules = modules();
		created().forEach(table -> ownerOf.put(table, owner(table, modules)));
		// A table as SQL names it; longest names first, so that "person_tag" is not read as "person".
		Pattern sql = Pattern.compile("(?i)\\b(?:from|join|into|update|table|exists)\\s+("
				+ ownerOf.keySet().stream().sorted((a, b) -> b.length() - a.length()).collect(Collectors.joining("|"))
				+ ")\\b");
		Map<String, Set<String>> crossings = new TreeMap<>();
		try (Stream<Path> files = Files.walk(MAIN)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
				Path relative = MAIN.relativize(file);
				String module = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
				Matcher table = sql.matcher(Files.readString(file));
				while (table.find()) {
					String name = table.group(1).toLowerCase(java.util.Locale.ROOT);
					if (!module.equals(ownerOf.get(name))) {
						crossings.computeIfAbsent(relative.toString().replace('\\', '/'), f -> new TreeSet<>())
							.add(name);
					}
				}
			}
		}
		assertThat(crossings).as("SQL naming another module's table (call its owner instead); when one listed in "
				+ "LEFT is moved, take it off the list")
			.isEqualTo(LEFT);
	}

}
