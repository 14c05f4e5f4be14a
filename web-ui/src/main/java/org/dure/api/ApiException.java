package org.dure.api;

/**
 * A request that could not be done, with a message for the user and the HTTP status the local API
 * answers it with (400 bad input, 404 not found, 409 conflict or ambiguous, 503 needs a running or
 * online node).
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public ApiException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  static ApiException unavailable(String message) {
    return new ApiException(503, message);
  }
}
