package io.rollcall.connector;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSession;

/** A 200 answer from {@code uri} with {@code body}, as the HTTP client hands it over: a page for the readers' tests. */
public record PageAnswer<T>(URI uri, T body) implements HttpResponse<T> {

	@Override
	public int statusCode() {
		return 200;
	}

	@Override
	public HttpRequest request() {
		return HttpRequest.newBuilder(this.uri).build();
	}

	@Override
	public Optional<HttpResponse<T>> previousResponse() {
		return Optional.empty();
	}

	@Override
	public HttpHeaders headers() {
		return HttpHeaders.of(Map.of(), (name, value) -> true);
	}

	@Override
	public Optional<SSLSession> sslSession() {
		return Optional.empty();
	}

	@Override
	public HttpClient.Version version() {
		return HttpClient.Version.HTTP_1_1;
	}

}
