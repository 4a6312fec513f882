package io.rollcall.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.audit.FieldChange;
import io.rollcall.company.Company;
import io.rollcall.csv.Uploads;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonField;
import io.rollcall.mapping.DefaultMappings;
import io.rollcall.mapping.Mappings;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.PlanItem;
import io.rollcall.sync.PlanKind;
import io.rollcall.sync.RunStatus;
import io.rollcall.sync.SourceKinds;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRuns;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * One sync run: how it stands, live while it goes (the progress block polls itself until the run settles), its
 * plan, and what the admin can do next: apply a preview, or approve or discard a run the safety hold stopped.
 */
@Controller
@RequestMapping("/console/sync-runs/{id}")
final class SyncRunPage {

	private static final int PLAN_SIZE = 200;

	private static final String MANAGER = "overrideManagerId";

	/** The kinds the plan can be narrowed to, as the page's links name them: every kind of item. */
	private static final Set<String> KINDS = java.util.Arrays.stream(PlanKind.values())
		.map(PlanKind::value)
		.collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));

	private final SyncRuns runs;

	private final Uploads uploads;

	private final Mappings mappings;

	private final People people;

	private final SourceKinds kinds;

	SyncRunPage(SyncRuns runs, Uploads uploads, Mappings mappings, People people, SourceKinds kinds) {
		Assert.notNull(runs, "runs cannot be null");
		Assert.notNull(uploads, "uploads cannot be null");
		Assert.notNull(mappings, "mappings cannot be null");
		Assert.notNull(people, "people cannot be null");
		Assert.notNull(kinds, "kinds cannot be null");
		this.runs = runs;
		this.kinds = kinds;
		this.uploads = uploads;
		this.mappings = mappings;
		this.people = people;
	}

	/**
	 * One plan item as the table shows it.
	 *
	 * @param changes "field: from → to" lines, people named by e-mail rather than by id
	 */
	record PlanLine(int seq, String kind, String label, List<String> changes, String message, boolean applied) {
	}

	@GetMapping
	String show(Company company, @PathVariable UUID id, @RequestParam(required = false) String kind, Model model) {
		SyncRun run = this.runs.get(company.id(), id);
		RunLine line = RunLine.of(run, this.kinds);
		model.addAttribute("company", company);
		model.addAttribute("line", line);
		model.addAttribute("run", run);
		model.addAttribute("columns", columns(company, run, model.getAttribute("upload")));
		describePlan(company, line, kind, model);
		return "console/sync-run";
	}

	/**
	 * The progress block alone, for its own polling. Once the run settles, the answer also carries the plan, swapped
	 * in out of band, since it was not complete when the page was drawn.
	 */
	@GetMapping("/progress")
	String progress(Company company, @PathVariable UUID id, Model model) {
		SyncRun run = this.runs.get(company.id(), id);
		RunLine line = RunLine.of(run, this.kinds);
		model.addAttribute("company", company);
		model.addAttribute("line", line);
		model.addAttribute("run", run);
		if (line.settled()) {
			describePlan(company, line, null, model);
			model.addAttribute("planOutOfBand", true);
		}
		return "console/sync-run-progress :: response";
	}

	/** A preview becomes a real run: the same file with the same options, planned afresh and applied. */
	@PostMapping("/apply")
	String apply(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		SyncRun preview = this.runs.get(company.id(), id);
		if (preview.status() != RunStatus.PREVIEWED) {
			Flash.bad(redirect, "Only a finished preview can be applied; this run is "
					+ RunLine.statusName(preview.status()).toLowerCase(java.util.Locale.ROOT) + ".");
			return "redirect:/console/sync-runs/" + id;
		}
		try {
			SyncRun run = this.runs.start(company.id(), preview.source(), false, preview.inputId(), preview.options(),
					actor);
			return "redirect:/console/sync-runs/" + run.id();
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			return "redirect:/console/sync-runs/" + id;
		}
	}

	@PostMapping("/approve")
	String approve(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		try {
			this.runs.approve(company.id(), id, actor);
			Flash.good(redirect, "Approved: the plan is being applied.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:/console/sync-runs/" + id;
	}

	@PostMapping("/discard")
	String discard(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		try {
			this.runs.discard(company.id(), id, actor);
			Flash.good(redirect, "Discarded: what this run had not applied yet is dropped.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:/console/sync-runs/" + id;
	}

	private void describePlan(Company company, RunLine line, String kind, Model model) {
		String wanted = kind != null && KINDS.contains(kind) ? kind : null;
		List<PlanItem> items = new ArrayList<>();
		// Errors first: they are what the admin has to fix in the file.
		if (wanted == null) {
			items.addAll(this.runs.plan(company.id(), line.run().id(), PlanKind.ERROR, 0, PLAN_SIZE));
			for (PlanItem item : this.runs.plan(company.id(), line.run().id(), null, 0, PLAN_SIZE)) {
				if (items.size() >= PLAN_SIZE) {
					break;
				}
				if (item.kind() != PlanKind.ERROR) {
					items.add(item);
				}
			}
		}
		else {
			items.addAll(this.runs.plan(company.id(), line.run().id(), PlanKind.of(wanted), 0, PLAN_SIZE));
		}
		model.addAttribute("kind", wanted);
		model.addAttribute("kinds",
				line.counts().stream().filter(count -> KINDS.contains(count.kind()) && count.value() > 0).toList());
		model.addAttribute("plan", lines(company, items));
		int shown = wanted == null ? line.counts()
			.stream()
			.filter(count -> KINDS.contains(count.kind()))
			.mapToInt(RunLine.Count::value)
			.sum() : line.count(wanted);
		model.addAttribute("planTotal", shown);
	}

	private List<PlanLine> lines(Company company, List<PlanItem> items) {
		Map<UUID, String> names = new HashMap<>();
		Set<UUID> unknown = new LinkedHashSet<>();
		for (PlanItem item : items) {
			if (item.personId() != null && item.label() != null && item.kind() == PlanKind.CREATE) {
				names.put(item.personId(), item.label());
			}
			FieldChange manager = item.changes().get(MANAGER);
			if (manager != null) {
				for (Object value : new Object[] { manager.from(), manager.to() }) {
					UUID person = uuid(value);
					if (person != null) {
						unknown.add(person);
					}
				}
			}
		}
		unknown.removeAll(names.keySet());
		if (!unknown.isEmpty()) {
			for (Person person : this.people.load(company.id(), List.copyOf(unknown))) {
				names.put(person.id(), person.email());
			}
		}
		return items.stream()
			.map(item -> new PlanLine(item.seq(), item.kind().value(), item.label(),
					item.changes()
						.entrySet()
						.stream()
						.sorted(Comparator
							.comparingInt((Map.Entry<String, FieldChange> change) -> rank(change.getKey()))
							.thenComparing(Map.Entry::getKey))
						.map(change -> change(change.getKey(), change.getValue(), names))
						.toList(),
					item.message(), item.applied()))
			.toList();
	}

	// Stored changes come back in JSON key order; a person's fields read better in the order of their profile.
	private static int rank(String field) {
		return PersonField.named(field)
			.map(PersonField::ordinal)
			.orElse(field.startsWith("customFields.") ? PersonField.values().length + 1 : PersonField.values().length);
	}

	/** "field: from → to", or "field: to" for a value that had none, as on a new person. */
	private static String change(String field, FieldChange change, Map<UUID, String> names) {
		if (MANAGER.equals(field)) {
			return "manager: " + (change.from() == null ? "" : person(change.from(), names) + " → ")
					+ person(change.to(), names);
		}
		return field + ": " + (change.from() == null ? "" : text(change.from()) + " → ") + text(change.to());
	}

	private static String text(Object value) {
		return value == null || value.toString().isEmpty() ? "(empty)" : value.toString();
	}

	// Manager changes hold person ids; a person this run creates is not in the directory yet.
	private static String person(Object value, Map<UUID, String> names) {
		UUID person = uuid(value);
		if (person == null) {
			return "(none)";
		}
		return names.getOrDefault(person, "a person this run adds");
	}

	private static UUID uuid(Object value) {
		if (value instanceof UUID id) {
			return id;
		}
		if (value instanceof String text && text.length() == 36) {
			try {
				return UUID.fromString(text);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		return null;
	}

	/** The file's columns and where they go; the upload just made when there is one, else read again. */
	private CsvColumns columns(Company company, SyncRun run, Object justUploaded) {
		if (!"csv".equals(run.source()) || run.inputId() == null) {
			return null;
		}
		Uploads.Upload upload;
		if (justUploaded instanceof Uploads.Upload fresh && fresh.id().equals(run.inputId())) {
			upload = fresh;
		}
		else {
			try {
				upload = this.uploads.describe(company.id(), run.inputId());
			}
			catch (RuntimeException ex) {
				return null; // the file is gone or unreadable; the run's own error says so
			}
		}
		var saved = this.mappings.saved(company.id(), "csv");
		return CsvColumns.of(upload, saved.orElseGet(() -> DefaultMappings.forColumns(upload.header())),
				saved.isPresent());
	}

}
