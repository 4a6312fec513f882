package io.rollcall.directory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class CustomFields {

	private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");

	private final JdbcClient jdbc;

	private final AuditLog audit;

	CustomFields(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** The company's custom fields by label. One statement, so no transaction of its own (see {@link People#loadProfiles}). */
	public List<CustomField> list(UUID companyId) {
		return this.jdbc.sql("select id, key, label, type from custom_field where company_id = :company order by label")
			.param("company", companyId)
			.query((rs, n) -> new CustomField(rs.getObject("id", UUID.class), rs.getString("key"),
					rs.getString("label"), CustomField.Type.of(rs.getString("type"))))
			.list();
	}

	@Transactional
	public CustomField define(UUID companyId, String key, String label, CustomField.Type type, Actor actor) {
		if (key == null || !KEY.matcher(key).matches()) {
			throw RequestRejectedException.invalid("key",
					"'key' must start with a lower-case letter and hold only lower-case letters, digits and _");
		}
		if (label == null || label.isBlank()) {
			throw RequestRejectedException.invalid("label", "'label' is required");
		}
		CustomField.Type fieldType = type == null ? CustomField.Type.TEXT : type;
		if (list(companyId).stream().anyMatch(f -> f.key().equals(key))) {
			throw RequestRejectedException.conflict("key", "A custom field with key '" + key + "' already exists");
		}
		UUID id = UUID.randomUUID();
		this.jdbc.sql(
				"insert into custom_field (id, company_id, key, label, type) values (:id, :company, :key, :label, :type)")
			.param("id", id)
			.param("company", companyId)
			.param("key", key)
			.param("label", label.strip())
			.param("type", fieldType.column())
			.update();
		this.audit.record(companyId, actor, "custom_field", id, "created",
				Map.of("key", new FieldChange(null, key), "type", new FieldChange(null, fieldType.column())));
		return new CustomField(id, key, label.strip(), fieldType);
	}

	/** The value as stored for this company's field {@code key}; refused when there is no such field or it does not fit. */
	Object check(UUID companyId, String key, Object value) {
		CustomField field = list(companyId).stream()
			.filter(f -> f.key().equals(key))
			.findFirst()
			.orElseThrow(() -> RequestRejectedException.invalid("customFields." + key,
					"There is no custom field '" + key + "'; define it first"));
		if (value == null || (value instanceof String s && s.isBlank())) {
			return null;
		}
		String name = "customFields." + key;
		String text = String.valueOf(value).strip();
		try {
			return switch (field.type()) {
				case TEXT -> {
					if (text.length() > 500) {
						throw RequestRejectedException.invalid(name, "'" + name + "' is longer than 500 characters");
					}
					yield text;
				}
				case NUMBER -> new BigDecimal(text);
				case DATE -> LocalDate.parse(text).toString();
				case BOOLEAN -> {
					if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
						throw new IllegalArgumentException();
					}
					yield Boolean.parseBoolean(text);
				}
			};
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			throw RequestRejectedException.invalid(name, "'" + text + "' is not a " + field.type().column()
					+ (field.type() == CustomField.Type.DATE ? " (write YYYY-MM-DD)" : ""));
		}
		catch (IllegalArgumentException ex) {
			throw RequestRejectedException.invalid(name, "'" + name + "' must be true or false");
		}
	}

}
