package io.rollcall.mapping;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.directory.CustomFields;
import io.rollcall.directory.PersonField;
import io.rollcall.platform.Actor;
import io.rollcall.platform.ClusterNotices;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.ShortMemory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A company's mappings per source (its own, or the source's defaults) and applying them to records. */
@Service
public class Mappings {

	private static final TypeReference<List<FieldMapping>> LIST = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	private final AuditLog audit;

	private final CustomFields customFields;

	private final Map<String, List<FieldMapping>> tables;

	Mappings(JdbcClient jdbc, ObjectMapper json, AuditLog audit, CustomFields customFields, List<FieldTable> tables,
			ClusterNotices notices) {
		this.effective = new ShortMemory<>("effective field mappings", Duration.ofSeconds(5), notices);
		this.customFields = customFields;
		this.tables = tables.stream()
			.collect(Collectors.toUnmodifiableMap(FieldTable::kind, t -> List.copyOf(t.mappings())));
		this.jdbc = jdbc;
		this.json = json;
		this.audit = audit;
	}

	/** The company's own mappings for the source, if it saved any. */
	@Transactional(readOnly = true)
	public Optional<List<FieldMapping>> saved(UUID companyId, String source) {
		return this.jdbc.sql("select mappings from field_mapping_set where company_id = :company and source = :source")
			.param("company", companyId)
			.param("source", source)
			.query(String.class)
			.optional()
			.map(text -> this.json.readValue(text, LIST));
	}

	/** The source's field table out of the box; empty for a source that brought none. */
	public List<FieldMapping> defaults(String source) {
		return this.tables.getOrDefault(source, List.of());
	}

	/**
	 * What the source's records are mapped with: the company's own mappings, else the source's field table. Read for
	 * every pushed record, so remembered for a few seconds (see {@link ShortMemory}).
	 */
	public List<FieldMapping> effective(UUID companyId, String source) {
		return this.effective.get(List.of(companyId, source),
				key -> List.copyOf(saved(companyId, source).orElseGet(() -> defaults(source))));
	}

	private final ShortMemory<List<Object>, List<FieldMapping>> effective;

	@Transactional
	public List<FieldMapping> save(UUID companyId, String source, List<FieldMapping> mappings, Actor actor) {
		if (mappings == null) {
			throw RequestRejectedException.invalid("mappings", "Send a list of mappings");
		}
		if (mappings.stream().noneMatch(m -> "email".equals(m.target()))) {
			throw RequestRejectedException.invalid("mappings",
					"One mapping must have target 'email': people are matched and invited by e-mail");
		}
		java.util.Set<String> defined = new java.util.HashSet<>();
		this.customFields.list(companyId).forEach(f -> defined.add(f.key()));
		for (FieldMapping mapping : mappings) {
			if (mapping.targetsCustomField() && !defined.contains(mapping.customFieldKey())) {
				throw RequestRejectedException.invalid("target", "There is no custom field '" + mapping.customFieldKey()
						+ "'; define it first (POST /api/v1/custom-fields)");
			}
		}
		List<FieldMapping> before = saved(companyId, source).orElse(null);
		this.effective.forget(List.of(companyId, source));
		this.jdbc
			.sql("""
					insert into field_mapping_set (company_id, source, mappings) values (:company, :source, cast(:mappings as jsonb))
					on conflict (company_id, source) do update set mappings = excluded.mappings, updated_at = now()
					""")
			.param("company", companyId)
			.param("source", source)
			.param("mappings", this.json.writeValueAsString(mappings))
			.update();
		this.audit.record(companyId, actor, "field_mapping", null, "saved_" + source,
				Map.of("mappings", new FieldChange(before, mappings)));
		return mappings;
	}

	/** Runs each mapping; a mapping that fails (say, a date in the wrong format) is reported as a problem. */
	public static MappedPerson map(List<FieldMapping> mappings, SourceRecord record) {
		Map<PersonField, String> fields = new EnumMap<>(PersonField.class);
		Map<String, String> customFields = new LinkedHashMap<>();
		List<String> problems = new ArrayList<>();
		String team = null;
		boolean teamMapped = false;
		for (FieldMapping mapping : mappings) {
			String value;
			try {
				value = mapping.valueFor(record);
			}
			catch (IllegalArgumentException ex) {
				problems.add(mapping.target() + ": " + ex.getMessage());
				continue;
			}
			if (mapping.target().equals("primaryTeam")) {
				teamMapped = true;
				team = value;
			}
			else if (mapping.targetsCustomField()) {
				customFields.put(mapping.customFieldKey(), value);
			}
			else {
				PersonField field = PersonField.named(mapping.target()).orElseThrow();
				// Two mappings onto one field: the first with a value wins.
				if (fields.get(field) == null) {
					fields.put(field, value);
				}
			}
		}
		return new MappedPerson(record, fields, team, teamMapped, customFields, problems);
	}

}
