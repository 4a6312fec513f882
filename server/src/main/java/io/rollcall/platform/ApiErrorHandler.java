package io.rollcall.platform;

import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure of the JSON API into an RFC 9457 problem with a message a person can act on and,
 * where one field is at fault, its name in {@code field}.
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
@Order(0)
class ApiErrorHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

	@ExceptionHandler(RequestRejectedException.class)
	ResponseEntity<ProblemDetail> rejected(RequestRejectedException ex) {
		return problem(ex.status(), ex.getMessage(), ex.field());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getMostSpecificCause();
		// A value object that refuses its own input while being read (a mapping's bad regex, say) says why itself.
		if (cause instanceof RequestRejectedException rejected) {
			return rejected(rejected);
		}
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return problem(HttpStatus.BAD_REQUEST, "Unknown field '" + unknown.getPropertyName()
					+ "'. Known fields: " + unknown.getKnownPropertyIds(), path(unknown));
		}
		if (cause instanceof InvalidFormatException invalid) {
			return problem(HttpStatus.BAD_REQUEST, "Field '" + path(invalid) + "' cannot be '" + invalid.getValue()
					+ "': expected " + describe(invalid.getTargetType()), path(invalid));
		}
		if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
			return problem(HttpStatus.BAD_REQUEST, "Field '" + path(mismatched) + "' has the wrong type: expected "
					+ describe(mismatched.getTargetType()), path(mismatched));
		}
		if (cause instanceof DatabindException databind && databind.getOriginalMessage() != null
				&& !databind.getPath().isEmpty()) {
			return problem(HttpStatus.BAD_REQUEST, "Field '" + path(databind) + "': " + databind.getOriginalMessage(),
					path(databind));
		}
		return problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON: " + firstLine(cause.getMessage()),
				null);
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException ex) {
		var first = ex.getBindingResult().getFieldErrors().stream().findFirst();
		String message = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(e -> "'" + e.getField() + "' " + e.getDefaultMessage())
			.collect(Collectors.joining("; "));
		return problem(HttpStatus.BAD_REQUEST, message.isEmpty() ? "The request is not valid" : message,
				first.map(e -> e.getField()).orElse(null));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
		return problem(HttpStatus.BAD_REQUEST, "'" + ex.getName() + "' cannot be '" + ex.getValue() + "'",
				ex.getName());
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Parameter '" + ex.getParameterName() + "' is required",
				ex.getParameterName());
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException ex) {
		return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"Send the body as application/json (got " + ex.getContentType() + ")", null);
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException ex) {
		return problem(HttpStatus.METHOD_NOT_ALLOWED, ex.getMethod() + " is not allowed here", null);
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ResponseEntity<ProblemDetail> noResource(NoResourceFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "There is nothing at " + ex.getResourcePath(), null);
	}

	@ExceptionHandler(DuplicateKeyException.class)
	ResponseEntity<ProblemDetail> duplicate(DuplicateKeyException ex) {
		return problem(HttpStatus.CONFLICT, "That already exists", null);
	}

	/**
	 * The database cannot be reached (restarting, failing over, every connection busy): nothing was stored, and saying
	 * so with 503 makes Graph and Okta send their deliveries again, where a 2xx would lose them.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		log.warn("Refused a request, the database being unavailable: {}", firstLine(ex.getMessage()));
		ResponseEntity<ProblemDetail> problem = problem(HttpStatus.SERVICE_UNAVAILABLE,
				"The service cannot reach its database just now; nothing was changed. Try again in a few seconds.",
				null);
		return ResponseEntity.status(problem.getStatusCode())
			.header("Retry-After", "5")
			.body(problem.getBody());
	}

	/**
	 * PostgreSQL stopping in the middle of a transaction fails the statement, and then its rollback for the same reason:
	 * the rollback's failure hides the first one, but nothing was stored all the same.
	 */
	@ExceptionHandler(TransactionSystemException.class)
	ResponseEntity<ProblemDetail> transactionFailed(TransactionSystemException ex) {
		Throwable original = ex.getApplicationException();
		if (original instanceof DataAccessResourceFailureException || original instanceof TransientDataAccessException
				|| original instanceof CannotCreateTransactionException) {
			return databaseUnavailable(ex);
		}
		return unexpected(ex);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		log.error("Unexpected failure", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR,
				"Something went wrong on our side; nothing was changed. Try again, and tell the operator if it persists.",
				null);
	}

	static ResponseEntity<ProblemDetail> problem(HttpStatus status, String message, String field) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, message);
		body.setTitle(status.getReasonPhrase());
		if (field != null) {
			body.setProperty("field", field);
		}
		return ResponseEntity.status(status).body(body);
	}

	private static String path(DatabindException ex) {
		return ex.getPath()
			.stream()
			.map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
			.collect(Collectors.joining("."))
			.replace(".[", "[");
	}

	private static String describe(Class<?> type) {
		if (type == null) {
			return "another type";
		}
		if (type.isEnum()) {
			return "one of " + java.util.Arrays.stream(type.getEnumConstants())
				.map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
				.toList();
		}
		return switch (type.getSimpleName()) {
			case "LocalDate" -> "a date like 2024-03-31";
			case "UUID" -> "an id";
			case "Integer", "int", "Long", "long" -> "a whole number";
			case "Boolean", "boolean" -> "true or false";
			default -> "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
		};
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "empty or unreadable body";
		}
		int newline = message.indexOf('\n');
		String line = newline < 0 ? message : message.substring(0, newline);
		return line.length() > 200 ? line.substring(0, 200) : line;
	}

}
