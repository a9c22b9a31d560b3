package sc.fiji.inr.cli;

/** A command line that cannot be run as typed (unknown option, missing value): exit code 2. */
final class UsageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	UsageException(final String message) {
		super(message);
	}
}
