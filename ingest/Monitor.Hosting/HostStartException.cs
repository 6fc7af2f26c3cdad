namespace Monitor.Hosting;

/// <summary>The monitor could not start, for a reason the operator can act on; the message is the one line to show.</summary>
public sealed class HostStartException(string message, Exception? inner = null) : Exception(message, inner);
