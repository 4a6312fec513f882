package io.rollcall.platform;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class ApiErrorHandlerTests {

	private final ApiErrorHandler handler = new ApiErrorHandler();

	@Test
	void transactionFailedWhenTheDatabaseWentAwayMidTransactionThenServiceUnavailableWithRetryAfter() {
		// What RollingRestartIT's PostgreSQL restart saw: the query terminated (57P01), then the rollback failed too.
		TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed");
		rollbackFailed.initApplicationException(
				new DataAccessResourceFailureException("FATAL: terminating connection due to administrator command"));

		ResponseEntity<ProblemDetail> answer = this.handler.transactionFailed(rollbackFailed);

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
	}

	@Test
	void transactionFailedWhenTheApplicationFailedForAnotherReasonThenInternalError() {
		TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed");
		rollbackFailed.initApplicationException(new IllegalStateException("a bug"));

		ResponseEntity<ProblemDetail> answer = this.handler.transactionFailed(rollbackFailed);

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(answer.getHeaders().getFirst("Retry-After")).isNull();
	}

}
