package io.rollcall.company;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.ClusterNotices;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.ShortMemory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class Companies {

	private final ShortMemory<String, Company> bySlug;

	private static final Pattern SLUG = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

	/** Host labels Rollcall keeps for itself. */
	private static final java.util.Set<String> RESERVED = java.util.Set.of("www", "api", "admin", "operator",
			"console", "scim", "hooks", "login", "static", "mail");

	private final JdbcClient jdbc;

	private final AuditLog audit;

	Companies(JdbcClient jdbc, AuditLog audit, ClusterNotices notices) {
		this.bySlug = new ShortMemory<>("companies by slug", Duration.ofSeconds(5), notices);
		this.jdbc = jdbc;
		this.audit = audit;
	}

	@Transactional
	public Company create(String slug, String name, Actor actor) {
		if (slug == null || !SLUG.matcher(slug).matches()) {
			throw RequestRejectedException.invalid("slug",
					"'slug' must be 1-63 lower-case letters, digits or hyphens, not starting or ending with a hyphen");
		}
		if (RESERVED.contains(slug)) {
			throw RequestRejectedException.invalid("slug", "'" + slug + "' is reserved; choose another slug");
		}
		requireText("name", name);
		if (findBySlug(slug).isPresent()) {
			throw RequestRejectedException.conflict("slug", "A company with slug '" + slug + "' already exists");
		}
		UUID id = UUID.randomUUID();
		this.jdbc.sql("insert into company (id, slug, name) values (:id, :slug, :name)")
			.param("id", id)
			.param("slug", slug)
			.param("name", name.strip())
			.update();
		this.audit.record(id, actor, "company", id, "created",
				Map.of("slug", new FieldChange(null, slug), "name", new FieldChange(null, name.strip())));
		return get(id);
	}

	/**
	 * The company at a slug. Every request names its company, so known companies are remembered for a few seconds
	 * (see {@link ShortMemory}). Unknown slugs are not remembered, so a company answers at once after it is created.
	 */
	public Optional<Company> findBySlug(String slug) {
		return Optional.ofNullable(this.bySlug.get(slug, s -> this.jdbc.sql("select * from company where slug = :slug")
			.param("slug", s)
			.query(Company.class)
			.optional()
			.orElse(null)));
	}

	@Transactional(readOnly = true)
	public Company get(UUID id) {
		return this.jdbc.sql("select * from company where id = :id")
			.param("id", id)
			.query(Company.class)
			.optional()
			.orElseThrow(() -> RequestRejectedException.notFound("Company " + id));
	}

	@Transactional
	public Company update(UUID id, CompanySettings settings, Actor actor) {
		Company before = get(id);
		Map<String, FieldChange> changes = new LinkedHashMap<>();
		String name = before.name();
		if (settings.name() != null) {
			requireText("name", settings.name());
			name = settings.name().strip();
		}
		String timezone = before.defaultTimezone();
		if (settings.defaultTimezone() != null) {
			timezone = timeZone("defaultTimezone", settings.defaultTimezone());
		}
		String language = before.defaultLanguage();
		if (settings.defaultLanguage() != null) {
			language = languageTag("defaultLanguage", settings.defaultLanguage());
		}
		int holdPercent = before.deactivationHoldPercent();
		if (settings.deactivationHoldPercent() != null) {
			holdPercent = settings.deactivationHoldPercent();
			if (holdPercent < 0 || holdPercent > 100) {
				throw RequestRejectedException.invalid("deactivationHoldPercent",
						"'deactivationHoldPercent' must be between 0 and 100");
			}
		}
		int holdMinimum = before.deactivationHoldMinimum();
		if (settings.deactivationHoldMinimum() != null) {
			holdMinimum = settings.deactivationHoldMinimum();
			if (holdMinimum < 1) {
				throw RequestRejectedException.invalid("deactivationHoldMinimum",
						"'deactivationHoldMinimum' must be at least 1");
			}
		}
		diff(changes, "name", before.name(), name);
		diff(changes, "deactivationHoldPercent", before.deactivationHoldPercent(), holdPercent);
		diff(changes, "deactivationHoldMinimum", before.deactivationHoldMinimum(), holdMinimum);
		diff(changes, "defaultTimezone", before.defaultTimezone(), timezone);
		diff(changes, "defaultLanguage", before.defaultLanguage(), language);
		if (changes.isEmpty()) {
			return before;
		}
		this.bySlug.forget(before.slug());
		this.jdbc
			.sql("""
					update company set name = :name, default_timezone = :tz, default_language = :lang,
					    deactivation_hold_percent = :holdPercent, deactivation_hold_minimum = :holdMinimum, updated_at = now()
					where id = :id
					""")
			.param("name", name)
			.param("tz", timezone)
			.param("lang", language)
			.param("holdPercent", holdPercent)
			.param("holdMinimum", holdMinimum)
			.param("id", id)
			.update();
		this.audit.record(id, actor, "company", id, "updated", changes);
		return get(id);
	}

	/** A BCP 47 language tag such as {@code en} or {@code pt-BR}, normalised; rejected when malformed. */
	private static final List<String> TIME_ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();

	/** Every time zone a company or a person may choose, by IANA name, sorted. */
	public static List<String> timeZones() {
		return TIME_ZONES;
	}

	/**
	 * Language tags as given, with the tag each makes: a sync checks every person's language, and a directory has a
	 * handful of them (building the locale for each was 2 % of an Entra ID re-sync's planning, JFR). Only tags that
	 * were accepted, and only so many, whatever a source sends.
	 */
	private static final Map<String, String> LANGUAGE_TAGS = new java.util.concurrent.ConcurrentHashMap<>();

	private static final int LANGUAGE_TAGS_KEPT = 1_000;

	/** The IANA name of a time zone ({@code Europe/London}), for the company's default and each person's own. */
	public static String timeZone(String field, String value) {
		try {
			return ZoneId.of(value.strip()).getId();
		}
		catch (DateTimeException ex) {
			throw RequestRejectedException.invalid(field,
					"'" + value + "' is not a time zone; use an IANA name like Europe/London");
		}
	}

	public static String languageTag(String field, String value) {
		String known = LANGUAGE_TAGS.get(value);
		if (known != null) {
			return known;
		}
		try {
			Locale locale = new Locale.Builder().setLanguageTag(value.strip().replace('_', '-')).build();
			if (locale.getLanguage().isEmpty()) {
				throw new IllformedLocaleException("no language");
			}
			String tag = locale.toLanguageTag();
			if (LANGUAGE_TAGS.size() < LANGUAGE_TAGS_KEPT) {
				LANGUAGE_TAGS.put(value, tag);
			}
			return tag;
		}
		catch (IllformedLocaleException ex) {
			throw RequestRejectedException.invalid(field,
					"'" + value + "' is not a language tag; use one like en, fr or pt-BR");
		}
	}

	private static void diff(Map<String, FieldChange> changes, String field, Object from, Object to) {
		if (!Objects.equals(from, to)) {
			changes.put(field, new FieldChange(from, to));
		}
	}

	private static void requireText(String field, String value) {
		if (value == null || value.isBlank()) {
			throw RequestRejectedException.invalid(field, "'" + field + "' is required");
		}
		if (value.length() > 200) {
			throw RequestRejectedException.invalid(field, "'" + field + "' is longer than 200 characters");
		}
	}

}
