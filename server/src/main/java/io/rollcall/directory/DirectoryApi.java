package io.rollcall.directory;

import java.util.List;
import java.util.UUID;

import io.rollcall.audit.AuditEntry;
import io.rollcall.audit.AuditLog;
import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tags, custom fields and the audit log. */
@RestController
@RequestMapping("/api/v1")
class DirectoryApi {

	private final Tags tags;

	private final CustomFields customFields;

	private final AuditLog audit;

	DirectoryApi(Tags tags, CustomFields customFields, AuditLog audit) {
		this.tags = tags;
		this.customFields = customFields;
		this.audit = audit;
	}

	@GetMapping("/tags")
	List<Tag> tags(Company company) {
		return this.tags.list(company.id());
	}

	@GetMapping("/custom-fields")
	List<CustomField> customFields(Company company) {
		return this.customFields.list(company.id());
	}

	record NewCustomField(String key, String label, CustomField.Type type) {
	}

	@PostMapping("/custom-fields")
	@ResponseStatus(HttpStatus.CREATED)
	CustomField defineCustomField(Company company, @RequestBody NewCustomField request, Actor actor) {
		return this.customFields.define(company.id(), request.key(), request.label(), request.type(), actor);
	}

	record AuditPage(List<AuditEntry> items, String nextCursor) {
	}

	/** Newest first; {@code subject} narrows to one person, team or key. */
	@GetMapping("/audit")
	AuditPage audit(Company company, @RequestParam(required = false) UUID subject,
			@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 200) {
			throw RequestRejectedException.invalid("limit", "'limit' must be between 1 and 200");
		}
		Long before = null;
		if (cursor != null && !cursor.isBlank()) {
			try {
				before = Long.parseLong(cursor);
			}
			catch (NumberFormatException ex) {
				throw RequestRejectedException.invalid("cursor", "'cursor' is not one Rollcall gave out");
			}
		}
		List<AuditEntry> entries = this.audit.list(company.id(), subject, before, limit);
		String next = entries.size() == limit ? String.valueOf(entries.getLast().id()) : null;
		return new AuditPage(entries, next);
	}

}
