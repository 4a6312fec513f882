package io.rollcall.sync;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.mapping.FieldMapping;
import io.rollcall.mapping.Mappings;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Sync runs")
@RestController
@RequestMapping("/api/v1")
class SyncApi {

	private final SyncRuns runs;

	private final SourceSettingsStore settings;

	private final Mappings mappings;

	private final SourceHealth health;

	private final SourceKinds kinds;

	SyncApi(SyncRuns runs, SourceSettingsStore settings, Mappings mappings, SourceHealth health, SourceKinds kinds) {
		this.runs = runs;
		this.kinds = kinds;
		this.health = health;
		this.settings = settings;
		this.mappings = mappings;
	}

	@GetMapping("/integrations/{kind}")
	@Operation(operationId = "getSourceSettings", summary = "Read a source's settings",
			description = "kind names a source as its runs do (csv, scim, or a directory's, such as entra): how people the "
					+ "source creates are invited and whether it assigns managers.")
	SourceSettings settings(Company company, @PathVariable String kind) {
		return this.settings.get(company.id(), known(kind));
	}

	@PutMapping("/integrations/{kind}")
	@Operation(operationId = "saveSourceSettings", summary = "Change a source's settings")
	SourceSettings saveSettings(Company company, @PathVariable String kind, @RequestBody SourceSettings body,
			Actor actor) {
		return this.settings.save(company.id(), known(kind), body, actor);
	}

	/** Whether the source's changes are getting through: the problem and since when, and how many wait. */
	@GetMapping("/integrations/{kind}/health")
	@Operation(operationId = "getSourceHealth", summary = "Whether a source's changes are getting through",
			description = "A run that fails is retried with back-off until it succeeds (status retrying); while it fails, "
					+ "problem says why, since when, how many attempts failed and when the next is (null while one is under way, "
					+ "or when the run failed for good and needs an admin). changesWaiting counts the provider's changes not yet "
					+ "brought in; lastSucceededAt is when a run of the source last succeeded.")
	SyncHealth health(Company company, @PathVariable String kind) {
		return this.health.of(company.id(), known(kind));
	}

	record MappingSet(List<FieldMapping> mappings, boolean saved) {
	}

	/** The mappings in use: the company's own when saved, else the source's field table. */
	@GetMapping("/integrations/{kind}/mappings")
	@Operation(operationId = "getMappings", summary = "Read a source's field mappings",
			description = "The company's own mappings when saved (saved: true), else the source's default field table.")
	MappingSet mappings(Company company, @PathVariable String kind) {
		var saved = this.mappings.saved(company.id(), known(kind));
		return new MappingSet(saved.orElseGet(() -> this.mappings.defaults(kind)), saved.isPresent());
	}

	@PutMapping("/integrations/{kind}/mappings")
	@Operation(operationId = "saveMappings", summary = "Replace a source's field mappings",
			description = "Each mapping names a source attribute, a person field and optional transforms; a bad mapping (an "
					+ "unknown field, a regex that does not compile) is refused here, with field naming it, not in the "
					+ "middle of a sync.")
	MappingSet saveMappings(Company company, @PathVariable String kind, @RequestBody List<FieldMapping> body,
			Actor actor) {
		return new MappingSet(this.mappings.save(company.id(), known(kind), body, actor), true);
	}

	@io.swagger.v3.oas.annotations.media.Schema(name = "SyncRunRequest")
	record RunRequest(Boolean dryRun, UUID uploadId, Boolean deactivateMissing) {
	}

	/** Starts a run; {@code {"dryRun": true}} only makes and stores the plan. */
	@PostMapping("/integrations/{kind}/sync-runs")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "startSyncRun", summary = "Start a sync run, or preview it",
			description = "Starts a run of the source (csv needs the uploadId of an upload). {\"dryRun\": true} makes "
					+ "and stores the plan without changing anything: read it with GET /api/v1/sync-runs/{id}/plan. A run that would "
					+ "deactivate more than the company's threshold stops as held and waits for an approval. Answers 202 at "
					+ "once; follow the run by its id.")
	SyncRun start(Company company, @PathVariable String kind, @RequestBody(required = false) RunRequest request,
			Actor actor) {
		RunRequest body = request == null ? new RunRequest(false, null, null) : request;
		if ("csv".equals(kind) && body.uploadId() == null) {
			throw RequestRejectedException.invalid("uploadId",
					"A CSV run reads an uploaded file: POST it to /api/v1/integrations/csv/uploads first, then pass its uploadId");
		}
		Map<String, Object> options = body.deactivateMissing() == null ? Map.of()
				: Map.of(SyncRun.DEACTIVATE_MISSING, body.deactivateMissing());
		return this.runs.start(company.id(), known(kind), Boolean.TRUE.equals(body.dryRun()), body.uploadId(), options,
				actor);
	}

	@GetMapping("/integrations/{kind}/sync-runs")
	@Operation(operationId = "listSyncRuns", summary = "List a source's recent runs",
			description = "Newest first.")
	List<SyncRun> history(Company company, @PathVariable String kind, @RequestParam(defaultValue = "20") int limit) {
		return this.runs.history(company.id(), known(kind), Math.clamp(limit, 1, 200));
	}

	@GetMapping("/sync-runs/{id}")
	@Operation(operationId = "getSyncRun", summary = "Read a sync run",
			description = "Status, progress (done of total) and what the plan holds, by kind.")
	SyncRun run(Company company, @PathVariable UUID id) {
		return this.runs.get(company.id(), id);
	}

	/** The plan a page at a time: {@code after} is the last seq of the previous page. */
	@GetMapping("/sync-runs/{id}/plan")
	@Operation(operationId = "getSyncRunPlan", summary = "Read a run's plan",
			description = "The field-by-field changes a run makes (or, for a dry run, would make), in order, a page at a time: "
					+ "after is the seq of the last item of the previous page (0 for the first), limit 1 to 1000. kind "
					+ "narrows to one kind of change (create, update, deactivate, ...).")
	List<PlanItem> plan(Company company, @PathVariable UUID id, @RequestParam(required = false) String kind,
			@RequestParam(defaultValue = "0") int after, @RequestParam(defaultValue = "100") int limit) {
		if (kind != null && PlanKind.find(kind).isEmpty()) {
			this.runs.get(company.id(), id);
			return List.of(); // no item is of a kind that does not exist
		}
		return this.runs.plan(company.id(), id, kind == null ? null : PlanKind.of(kind), after,
				Math.clamp(limit, 1, 1000));
	}

	record Decision(String decision) {
	}

	/**
	 * {@code {"decision":"approve"}} applies a held run, {@code {"decision":"discard"}} drops it (a held run, or one
	 * waiting to retry after a failure).
	 */
	@PostMapping("/sync-runs/{id}/approval")
	@Operation(operationId = "approveSyncRun", summary = "Approve or discard a held run",
			description = "{\"decision\": \"approve\"} applies a run held by the safety hold; "
					+ "{\"decision\": \"discard\"} drops it, or gives up a run that waits to retry after a failure.")
	SyncRun decide(Company company, @PathVariable UUID id, @RequestBody Decision decision, Actor actor) {
		return switch (decision.decision() == null ? "" : decision.decision()) {
			case "approve" -> this.runs.approve(company.id(), id, actor);
			case "discard" -> this.runs.discard(company.id(), id, actor);
			default -> throw RequestRejectedException.invalid("decision", "'decision' must be approve or discard");
		};
	}

	/** Only a source the service has; any other kind is not found. */
	private String known(String kind) {
		return this.kinds.find(kind)
			.map(SourceKind::kind)
			.orElseThrow(() -> RequestRejectedException.notFound("Integration '" + kind + "'"));
	}

}
