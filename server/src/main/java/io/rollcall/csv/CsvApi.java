package io.rollcall.csv;

import java.io.IOException;
import java.io.InputStream;

import io.rollcall.company.Company;
import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/integrations/csv/uploads} with the file as the body ({@code Content-Type: text/csv}); the
 * answer names the upload to start a run with, and its columns.
 */
@Tag(name = "CSV")
@RestController
@RequestMapping("/api/v1/integrations/csv/uploads")
class CsvApi {

	private final Uploads uploads;

	CsvApi(Uploads uploads) {
		this.uploads = uploads;
	}

	@PostMapping(consumes = { "text/csv", "text/plain", "application/octet-stream" })
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "uploadCsv", summary = "Upload a CSV file",
			description = "The file is the request body (text/csv, UTF-8, a header row, at most 64 MB). The answer names the "
					+ "upload and its columns; start a run of kind csv with its id (POST "
					+ "/api/v1/integrations/csv/sync-runs, {\"uploadId\": ..., \"dryRun\": true} for a preview). A file that "
					+ "cannot be read is a 400 (field: file) saying where and why.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
			mediaType = "text/csv", schema = @Schema(type = "string", description = "The file's content")))
	Uploads.Upload upload(Company company, HttpServletRequest request,
			@RequestParam(defaultValue = "upload.csv") String filename) throws IOException {
		return this.uploads.store(company.id(), filename, read(request.getInputStream()));
	}

	static byte[] read(InputStream in) throws IOException {
		byte[] content = in.readNBytes(Uploads.MAX_BYTES + 1);
		if (content.length > Uploads.MAX_BYTES) {
			throw RequestRejectedException.invalid("file",
					"The file is larger than 64 MB; split it into smaller files");
		}
		return content;
	}

}
