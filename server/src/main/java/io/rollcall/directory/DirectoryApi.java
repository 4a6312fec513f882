package io.rollcall.directory;

import java.util.List;
import java.util.UUID;

import io.rollcall.audit.AuditEntry;
import io.rollcall.audit.AuditLog;
import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tags, custom fields and the audit log. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Directory")
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
	@Operation(operationId = "listTags", summary = "List tags",
			description = "Tags label people; SCIM groups arrive as tags.")
	List<Tag> tags(Company company) {
		return this.tags.list(company.id());
	}

	@GetMapping("/custom-fields")
	@Operation(operationId = "listCustomFields", summary = "List custom fields")
	List<CustomField> customFields(Company company) {
		return this.customFields.list(company.id());
	}

	record NewCustomField(String key, String label, CustomField.Type type) {
	}

	@PostMapping("/custom-fields")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "defineCustomField", summary = "Define a custom field",
			description = "A field of the company's own, set on people under customFields by its key; type decides how values "
					+ "are checked.")
	CustomField defineCustomField(Company company, @RequestBody NewCustomField request, Actor actor) {
		return this.customFields.define(company.id(), request.key(), request.label(), request.type(), actor);
	}

	record AuditPage(List<AuditEntry> items, String nextCursor) {
	}

	/** Newest first; {@code subject} narrows to one person, team or key. */
	@GetMapping("/audit")
	@Operation(operationId = "listAuditEntries", summary = "Read the audit history",
			description = "Every change to the directory, newest first, with who or which source made it and each field's old "
					+ "and new value, a page at a time (see Paging). subject narrows to one person, team or API key.")
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
